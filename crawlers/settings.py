"""Scrapy settings for veille's crawlers. Politeness lives here, not in spider code."""
from importlib.metadata import PackageNotFoundError, version

try:
    _VERSION = version("veille")
except PackageNotFoundError:  # running from a source tree that was not installed
    _VERSION = "dev"

BOT_NAME = "veille"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"
USER_AGENT = f"veille/{_VERSION} (+https://github.com/veille-project/veille)"

# Politeness: robots.txt, one request per second per domain at most, slowed further by
# AutoThrottle when a site answers slowly.
ROBOTSTXT_OBEY = True
DOWNLOAD_DELAY = 1.0
RANDOMIZE_DOWNLOAD_DELAY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Caps: what one run of one source may cost.
DOWNLOAD_MAXSIZE = 5 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
DOWNLOAD_TIMEOUT = 20
REDIRECT_MAX_TIMES = 5
RETRY_TIMES = 1
CLOSESPIDER_PAGECOUNT = 80          # hard cap on responses per source and run
CLOSESPIDER_TIMEOUT = 300           # seconds per source and run
VEILLE_MAX_LISTING_PAGES = 5        # listing pages followed through `next`
VEILLE_MAX_ARTICLE_PAGES = 40       # article pages fetched for `body` (new items only)
VEILLE_MAX_SITEMAP_PAGES = 30       # new pages of a sitemap read per run
VEILLE_MAX_SITEMAP_FILES = 10       # child sitemaps of a sitemap index

ITEM_PIPELINES = {"crawlers.pipelines.IngestPipeline": 300}

COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "WARNING"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
