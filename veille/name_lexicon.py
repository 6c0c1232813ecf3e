"""The words names are read by (``reference_context``): lists of words and the patterns of
the frames around a name, in French and English, and the tests of a single word.

- what a capitalised word can be: a generic acronym (``GENERIC``: PLC, AMR), a word that opens
  a run but no name (``OPENERS``: Le, Mardi, The), a field of industry (``FIELD_WORDS``), a
  company's head word (``HEADS``: Robotics, Systems), an institution's (``INSTITUTIONS``), a
  division's (``DIVISIONS``), a legal form (``LEGAL``), a protocol (``PROTOCOLS``);
- the frames: verbs of what organisations do (``VERBS``) and of launches (``LAUNCH_VERBS``),
  roles (``ROLES_FR``, ``ROLES_EN``), nationalities, what precedes an organisation bought,
  joined or chosen (``OBJECT_FRAMES``), product types (``TYPES``), what a product is used or
  shipped with (``USED_FRAMES``), sites, events and job titles that rule a name out;
- the words a text is seen through to find frames at all (``TRIGGERS``,
  ``INSTITUTION_VOCABULARY``: added to the vocabulary of ``reference_text.Text``);
- people's given names (``given_names``, veille/given_names.txt) and the test of a person's
  name (``person_name``); places (``places``, veille/places.txt);
- one word's tests: ``common`` (wordfreq, via ``common_words``), ``namey``, ``camel``,
  ``is_code``, ``plain``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from veille.common_words import common_sets
from veille.reference_text import fold


frequencies = common_sets   # (common, very common) French and English words, folded


# Acronyms of things, not of organisations; product types written in capitals
GENERIC = frozenset(
    "PLC CNC AGV AGVs AMR AMRs MES ERP PLM CAD CAO CFAO FAO HMI IHM IoT IIoT AI IA ML LLM API SaaS "
    "AM FFP1 FFP2 FFP3 CAN CAM MIG MAG TIG SUV IE2 IE3 IE4 IE5 FinFET DataMatrix HVDC HDG "
    "SQL NoSQL JSON XML CSV HTTP HTML YAML "
    "PME PMI ETI TPE CEO CTO COO CFO CIO CISO CDO CPO DG PDG DRH RSSI RH HR R&D QSE HSE EHS OEM OEMs B2B PDF EPI PPE ATEX CE UE EU "
    "US USA UK EMEA APAC LATAM DACH MENA "
    "SCARA CMM MMT IT OT TSN OPC UA MQTT RFID GPS LIDAR LiDAR 3D 2D 5G 4G VR AR XR IRL SLA SLS "
    "SLM DED FDM FFF MJF EBM DMLS LPBF CO2 GES PFAS REACH RoHS KPI OEE TRS TPM SMED VSM ROI GMAO CMMS GTB GTC "
    "FAQ PoC POC NC DIY HD CVE CVSS MEMS ASIC FPGA GPU CPU SoC kHz MHz GHz Hz kW MW GW kWh MWh GWh Wh kVA Nm kN MPa "
    "GPa dB MWe MWc kWc MWth "
    # reporting standards' sets, read after "selon" as a source would be ("selon les ESRS")
    "ESRS IFRS GAAP "
    # media and messages' formats; electromagnetic compatibility in French ("laboratoire d'essais CEM")
    "DVD CD SMS MMS CEM "
    "Gbps Mbps kbps Gbit Mbit SCADA DCS CBTC ETCS ERTMS BMS WMS TMS QMS LIMS CRM EAM HVAC BIM ADAS "
    # a standards body's committees ("ISO TC 184/SC 2"), computer-aided engineering
    "TC SC WG JTC JWG CAE "
    # gas groups of explosive atmospheres, respirators' classes, a packaging-machine state model
    "IIA IIB IIC N95 N99 N100 KN95 P100 PackML "
    # imaging, sensing and machining techniques, read after a model as its kind, not its edition
    # ("Linea HS2 TDI camera")
    "TDI CMOS CCD ToF TOF HDR NIR SWIR UV LED OCR AOI EDM "
    # electrolysis, fuel-cell and analysis techniques, pollutants ("électrolyseurs PEM", "spectromètre
    # Raman", "brûleurs bas NOx")
    "PEM SOEC AEM SOFC FTIR XRF LIBS Raman NOx SOx "
    # French safety and environment paperwork, permits and licences ("les FDS", "une ICPE", "le CACES")
    "FDS SDS MSDS DUERP DUER ICPE PPRT CACES AIPR FDES POI PPI "
    # the British safety regulations an inspector cites ("as required by DSEAR", "a COSHH assessment")
    "DSEAR COSHH PUWER LOLER RIDDOR "
    # polymers, composites, battery chemistries and semiconductors a brand is sold in ("Solef PVDF",
    # "PEKK Kepstan", "batteries LFP")
    "PEKK PEEK PVDF PTFE PVC PLA ABS TPU PA6 PA11 PA12 HDPE PEI PPS CFRP GFRP LFP LMFP NMC NCA LCO SiC GaN OLED "
    # a supplier tier and nationalities ("a Tier 1 supplier", "with Dutch integrator X")
    "Tier Dutch German French Italian Spanish British American Japanese Chinese Korean Swiss Swedish "
    "Danish Finnish Norwegian Austrian Belgian Canadian Indian Polish Czech Taiwanese "
    "Welsh Scottish Irish Portuguese Greek Turkish Hungarian Romanian Mexican Brazilian Australian Israeli "
    "Bavarian Flemish Basque Breton Cornish Catalan".split())


# French trades a small company is named by, before or after a family or place name: no
# person is ("Menuiseries Grellier", "Manutec Levage", "Usinage Bressan"; folded, lowered)
TRADES = frozenset("usinage decolletage levage outillage tolerie toleries chaudronnerie menuiserie menuiseries "
                   "mecanique fonderie fonderies plasturgie emballage emballages automatismes ateliers forges "
                   "salaisons metallerie soudure traitements thermoformage injection moulage".split())


# a class, level or layer with its number qualifies a model, it is no part of its name
# ("MRX-G4064 Layer 3 switch", "a Class 1 laser")
CLASS_WORDS = frozenset("Class Classe Type Category Categorie Level Niveau Layer Tier Zone Grade Cat".split())


# Words a run of capitals opens with that are no part of the name after them
OPENERS = frozenset(
    "Le La Les L Un Une De Des Du D Et En Au Aux A Chez Selon Pour Par Sur Dans Avec Son Sa Ses Leur "
    "Ce Cette Ces Hier Aujourd Demain Lundi Mardi Mercredi Jeudi Vendredi Samedi Dimanche Depuis Apres "
    "Avant Mais Ou Donc Ainsi Enfin Puis The An And Of In On At By For With Its Their This That These "
    "Today Yesterday Monday Tuesday Wednesday Thursday Friday Saturday Sunday Also But So Then After "
    "Before Following According Meanwhile Earlier Later New Nouveau Nouvelle Nouveaux Start-up Startup "
    "Start-Up Class Classe Type Category Categorie Level Niveau Gen Generation Phase Stage Annex Annexe "
    "Article Part Partie Section Chapter Chapitre Amendment Amendement Clause Corrigendum "
    # a news item's genre opening its title ("Webinaire Mitsubishi Electric : …", "Comparatif ERP")
    "Webinaire Webinar Comparatif Interview Entretien Tribune Dossier Reportage Temoignage Portrait "
    "Enquete Exclusif Infographie Podcast Rappel Recall "
    # a company's size before its name ("la PME Rivoire Mécanique")
    "PME ETI TPE PMI".split())


# what a name's first word cannot be when its last is a head word: "Smart Manufacturing"
FIELD_WORDS = frozenset(
    "industrial collaborative advanced digital smart additive intelligent autonomous mobile global "
    "connected modern future european french german american international national applied "
    "integrated flexible humanoid service medical automotive aerospace cognitive generative physical "
    "soft cloud edge quantum precision robotic robotique industrielle numerique intelligente autonome "
    "avancee francaise europeenne lean green clean sustainable next machine computer global world "
    "reglement regulation directive norme standard loi decret arrete programme program plan".split())


# a company's head word ends its name: "Fetch Robotics", "Prusa Research", "Kerlann Automation"
HEADS = frozenset(
    "Robotics Robotique Robots Automation Automatisation Technologies Technology Systems Systemes "
    "Extrusions Valves Fabrication Foods Castings Forgings Coatings Metals Fasteners Plastiques "
    "Industries Group Groupe Electric Electronics Engineering Ingenierie Solutions Instruments Dynamics "
    "Machines Machinery Aerospace Labs Software Research Manufacturing Controls Metrology Motion "
    "Medical Materials Composites Plastics Motors Mobility Logistics Semiconductors Analytics Networks "
    "Holding Holdings Corporation Company Photonics Vision Sensors Tools Tooling Additive Consulting Partners "
    "Capital Ventures Bionics Drives Pharma Chemicals Networks Microsystems Laboratories Institute Centre "
    "Center Agency Authority Executive Federation Association Council Foundation Laboratory Energies "
    "Petroleum Mining Minerals Airlines".split())


# what ends an event's or a prize's name, never a product's: "Hannover Messe", "Hermes Award"
EVENT_WORDS = frozenset("Messe Show Expo Award Awards Week Summit Forum Conference Congress Days Salon Fair "
                         "Prize Trophy Trophees Cup Championship Festival Hackathon".split())


# what follows or precedes a head-word name that is an event, not an organisation
EVENT_AFTER = re.compile(r" (?:Week|Show|Summit|Expo|Forum|Conference|Congress|Days?|Awards?|Challenge|Fair|"
                          r"Symposium|Meeting|Salon|Prize|Hackathon|Report|Index|Survey|Europe|World|Tour)\b")


_EVENT_BEFORE_WORDS = "salon show fair congres conference edition trophees journees exhibition expo competition concours".split()
EVENT_BEFORE = re.compile(rf"(?i:{'|'.join(_EVENT_BEFORE_WORDS)})(?: (?:de|du|des|of|the))? $")
# the longest match, and a line break after it: a search ending at a place starts this far before it
EVENT_BEFORE_REACH = max(map(len, _EVENT_BEFORE_WORDS)) + len(" des ") + 1


TITLE_BEFORE = re.compile(r"(?:\bM\.|\bMme|\bMlle|\bMr\.?|\bMrs\.?|\bMs\.?|\bDr\.?|\bPr\.?|\bSir|\bDame) $")


# a run of words written with capitals (or camel case: "ctrlX", "eMotion") and model codes
TOKEN = r"(?:[A-Z][\w&+]*(?:[-/][\w&+]+)*|[a-z]{1,5}[A-Z]\w*(?:-\w+)*|\d\w*(?:[-/]\w+|\.\d+)*)"   # "2025.1"


CODE_TOKEN = re.compile(r"(?=[A-Za-z0-9/.-]*\d)[A-Za-z0-9]+(?:[-/.][A-Za-z0-9]+)*$")


# a source telling the news ("Ascom revient sur le référentiel", "SMG notes that"), as real
# items' summaries open (not "says", "found": people say and find too)
REPORTING = (r"revient sur|detaille(?:nt)?|explique(?:nt)?|compare(?:nt)?|decrypte(?:nt)?|souligne(?:nt)?|"
             r"analyse(?:nt)?|fait le point|dresse(?:nt)?|precise(?:nt)?|indique(?:nt)?|distingue(?:nt)?|"
             r"passe en revue|notes|outlines|reviews|explains|describes|details|compares|highlights|argues|"
             r"points out|summarises|summarizes|looks at|breaks down")


VERBS = (
    # French, present and past
    r"lance(?:nt)?|presente(?:nt)?|devoile(?:nt)?|annonce(?:nt)?|rachete|acquiert|investit|inaugure|"
    r"ouvre|livre|equipe|installe|deploie|commercialise|propose|signe|s'associe|s'allie|recrute|leve|"
    r"cede|fournit|integre|developpe|renforce|etend|choisit|selectionne|remporte|publie|certifie|"
    r"industrialise|s'implante|agrandit|finalise|acheve|met en service|met en place|automatise(?:nt)?|"
    r"robotise(?:nt)?|modernise(?:nt)?|teste(?:nt)?|rejoint|reprend|cree|ferme|construit|relocalise|embauche|"
    r"recoit|mise sur|rappelle(?:nt)?|corrige(?:nt)?|prolonge(?:nt)?|met fin|s'equipe(?:nt)?|decroche(?:nt)?|"
    r"commande(?:nt)?|obtient|confie(?:nt)?|"
    r"a (?:lance|presente|devoile|annonce|rachete|acquis|investi|inaugure|ouvert|livre|installe|"
    r"deploye|signe|leve|cede|fourni|choisi|selectionne|remporte|publie|finalise|developpe|equipe)|"
    r"vient de (?:lancer|presenter|devoiler|racheter|lever|signer|publier)|"
    # English
    r"(?:has |have |will |is set to |plans to )?(?:launch(?:es|ed)?|unveil(?:s|ed)?|introduc(?:es|ed|e)|"
    r"announc(?:es|ed|e)|acquir(?:es|ed|e)|open(?:s|ed)?|present(?:s|ed)?|releas(?:es|ed)|ship(?:s|ped)?|"
    r"invest(?:s|ed)?|partner(?:s|ed)?|sign(?:s|ed)?|deploy(?:s|ed)?|expand(?:s|ed)?|rais(?:es|ed|e)|"
    r"suppl(?:ies|ied|y)|deliver(?:s|ed)?|install(?:s|ed)?|showcas(?:es|ed|e)|debut(?:s|ed)?|"
    r"roll(?:s|ed)? out|buil(?:ds|t|d)|develop(?:s|ed)?|select(?:s|ed)?|cho(?:se|oses)|"
    r"publish(?:es|ed)?|issu(?:es|ed)|certifi(?:es|ed)|add(?:s|ed)|extend(?:s|ed)|integrat(?:es|ed)|"
    r"offer(?:s|ed)?|provid(?:es|ed)|complet(?:es|ed)|agreed to|teams up|teamed up|bought|buys|"
    r"automat(?:es|ed)|test(?:s|ed)|secur(?:es|ed)|receiv(?:es|ed)|clos(?:es|ed)|pick(?:s|ed)|"
    r"expects|forecasts|warns|says|reports|moves|lifts|orders|ordered|standardi[sz]es|passes|brings|"
    r"files|takes|sells|sold|merges|targets|boosts|enters|appoints|names|taps|adopts|cho(?:oses)|"
    r"finali[sz]es|lands|unveils|opens|shuts down|shut down|relaunch(?:es|ed)|recall(?:s|ed)|"
    r"begins|began|starts|awards|awarded|commissions|commissioned|spins off|joins|hires|"
    r"patch(?:es|ed)|is recalling|discontinu(?:es|ed|e)|" + REPORTING + ")")


ACTS_AFTER = re.compile(rf" (?:{VERBS})(?![\w'-])")


# what precedes an organisation bought, joined, supplied or worked at
# a list goes on after an organisation: "avec Sentrix, Codasoft et Quantix"
# (a legal form may end the organisation before: "Carbon, Inc. and Adidas")
COMMA_LEGAL = "Inc|LLC|Ltd|Corp|plc"        # the legal forms English writes after a comma
LIST_BETWEEN = re.compile(rf"(?:,? (?:{COMMA_LEGAL}|GmbH|AG|SAS|SA)\.?)?(?P<link>, | et | and | & |, et |, and )"
                          r"(?:l'|le |la |les |the )?$")


# a product type: "le logiciel SolidWorks", "la presse à injection Netstal…", "the O3R platform"
TYPES = (r"cobots?|robots?|machines?|presses?|imprimantes?|capteurs?|automates?|scanners?|variateurs?|"
          r"prehenseurs?|pinces?|cameras?|printers?|sensors?|controllers?|grippers?|logiciels?|software|"
          r"plateformes?|platforms?|bras|arms?|microscopes?|drones?|exosquelettes?|exoskeletons?|"
          r"humanoides?|humanoids?|tours?|fraiseuses?|centres?|centers?|modules?|controleurs?|systemes?|"
          r"systems?|solutions?|modeles?|models?|lasers?|casques?|"
          r"headsets?|lunettes|glasses|lecteurs?|readers?|terminals?|terminaux|tablettes?|applications?|"
          r"apps?|outils?|tools?|mills?|lathes?|perceuses?|AMR|AGV|CMM|PLC|HMI|MES|ERP|cobot|"
          r"convoyeurs?|conveyors?|chariots?|trucks?|vehicules?|vehicles?|sondes?|probes?|palpeurs?|"
          r"actionneurs?|actuators?|moteurs?|motors?|servomoteurs?|servos?|drives?|passerelles?|gateways?|"
          r"cellules?|cells?|stations?|melters?|curtains?|barrieres?|scanners?|microscopes?|routers?|routeurs?|"
          r"modems?|cameras?|exosquelettes?|grippers?|effectors?|welders?|torches?|spindles?|broches?|"
          r"units?|unites?|bancs?|benches?|fours?|furnaces?|monitors?|moniteurs?|heads?|tetes?|"
          r"navettes?|shuttles?|suites?|versions?|trieurs?|sorters?|broyeurs?|centrales?|locomotives?|"
          r"tramways?|trams?|railcars?|trains?|helicopteres?|helicopters?|engines?|compresseurs?|compressors?|"
          r"pompes?|pumps?|vannes?|valves?|etiqueteuses?|labellers?|labelers?|sechoirs?|dryers?|pasteurisateurs?|"
          r"pasteurisers?|pasteurizers?|echangeurs?|exchangers?|remplisseuses?|fillers?|palettiseurs?|palletisers?|palletizers?|"
          r"gammes?|ranges?|"
          # energy, electrical and process equipment, instruments, vehicles and materials
          r"tableaux|tableau|switchboards?|switchgear|bruleurs?|burners?|batteries|batterie|battery|"
          r"electrolyseurs?|electrolysers?|electrolyzers?|chargeurs?|chargers?|onduleurs?|inverters?|"
          r"transformateurs?|transformers?|disjoncteurs?|breakers?|motoreducteurs?|reducteurs?|gearmotors?|"
          r"gearboxes?|verins?|cylinders?|grues?|cranes?|palans?|hoists?|chaudieres?|boilers?|turbines?|"
          r"dashboards?|analyseurs?|analysers?|analyzers?|spectrometres?|spectrometers?|oscilloscopes?|"
          r"instruments?|avions?|aircraft|airliners?|jets?|lanceurs?|launchers?|rockets?|fusees?|satellites?|"
          r"decoupeuses?|cutters?|poinconneuses?|pelles?|chargeuses?|excavators?|loaders?|tracteurs?|tractors?|"
          r"multimetres?|multimeters?|plieuses?|benders?|thermoformeuses?|CPUs?|PCs?|"
          # maintenance, lifting, lubrication and safety equipment
          r"sonometres?|detecteurs?|detectors?|imagers?|collecteurs?|extrudeuses?|extruders?|encaisseuses?|"
          r"rectifieuses?|grinders?|mandrins?|chucks?|gerbeurs?|stackers?|nacelles?|transpalettes?|"
          r"elingues?|slings?|graisses?|greases?|huiles?|lubrifiants?|lubricants?|degraissants?|"
          r"harnais|harness|helmets?|respirators?|masques?|masks?|gants|gloves|coveralls|combinaisons?|"
          r"balises?|beacons?|tapis|bacs?|cuves?|lifelines?|"
          # rail, aerospace, energy and plant software kinds
          r"shunters?|evtols?|stacks?|reacteurs?|reactors?|counters?|compteurs?|historians?|superviseurs?|"
          r"simulateurs?|simulators?|firewalls?|consoles?|palonniers?|GMAO|CMMS|GTB|GTC")


# between a type and its model: adjectives and complements ("presse plieuse", "bras de mesure",
# "presse à injection"), not a preposition before a place ("usine d'automates à Himeji")
LINKS = (r"(?:a|au|aux|en|in|at|on|de|du|des|of|for|pour|sur|dans|with|avec|chez|par|by|from|to|the|le|la|les|"
          r"un|une|et|and|ou|or|near|pres|as|comme|than|que|qui|that|which|is|are|was|est|sont|like|such)")


# a maker's role before its name: "special-machine builder Endutec", "robot maker Nordson"
# (French roles take adjectives after them, "l'intégrateur nantais X"; English ones before)
ROLES_FR = ("integrateur fabricant constructeur fournisseur editeur distributeur specialiste start-up startup "
             "equipementier sous-traitant pme eti groupe societe entreprise pousse chaudronnerie fonderie "
             "decolleteur usineur mouliste outilleur logisticien transporteur papetier papeterie tolier "
             "chaudronnier fondeur plasturgiste cooperative assureur courtier laboratoire cabinet bureau "
             "organisme prestataire installateur mainteneur loueur negociant grossiste pole cluster "
             "industriel chimiste tableautier cablier motoriste avionneur emballeur imprimeur verrier cimentier "
             "siderurgiste metallurgiste brasseur semencier eco-organisme").split()


ROLES_EN = ("builder maker manufacturer supplier vendor integrator distributor specialist subcontractor group "
             "company firm provider developer publisher operator carmaker automaker start-up startup "
             "toolmaker moulder molder foundry fabricator insurer broker laboratory lab consultancy "
             "contractor retailer wholesaler forger steelmaker chipmaker shipbuilder glassmaker papermaker "
             "refiner brewer airframer").split()


ROLES = ROLES_FR + ROLES_EN


# a role or a "-based" before a name in a run of capitals is no part of it (a nationality may
# be: "German Bionic", "American Welding Society"):
# "Integrator Midwest Motion Controls", "Finnish Start-Up Robotonni Oy", "Sheffield-based
# Hallam Controls Ltd", "Hyundai Motor Group-owned Boston Dynamics"
_ROLE_PREFIXES = frozenset("integrator specialist maker manufacturer supplier vendor distributor developer "
                           "builder provider start-up startup integrateur specialiste fabricant".split())
_OWNED = ("-based", "-owned", "-backed", "-led", "-developed", "-designed", "-built", "-made", "-powered")


def name_start(tokens: list[str]) -> int:
    """Where the name starts in a run's words: after the last role word or "-based" word
    that has a word after it (0 if none)."""
    start = 0
    for i, token in enumerate(tokens[:-1]):
        if token.lower() in _ROLE_PREFIXES or token.endswith(_OWNED):
            start = i + 1
    return start


NATIONS = ("allemand japonais italien americain chinois coreen suedois suisse danois francais britannique "
            "neerlandais autrichien espagnol finlandais norvegien belge canadien israelien taiwanais irlandais "
            "polonais portugais tcheque indien turc hongrois australien bresilien mexicain singapourien "
            "luxembourgeois estonien roumain grec").split()


# a maker's role (and up to two adjectives) or its nationality before its name: "special-machine
# builder Endutec", "l'intégrateur nantais Robotika Ouest", "la jeune pousse bordelaise
# Predictia", "l'allemand Wandelbots"
# a product type after the product: "the NexaLink edge gateway", "ActiveGuard light curtains"
# editions written after a model's name, part of it ("RenAM 500Q Flex", "HA20 RTJ PRO")
EDITION_WORDS = "Pro Plus Max Flex Ultra Lite Mini Elite Prime Premium Compact Evo Neo XL XT X SE Triple Dual Twin".split()
TYPE_AFTER = re.compile(rf" (?:(?!{LINKS}\b)(?:[a-z-]+|[A-Z]{{2,4}}) )?(?i:{TYPES})(?![\w-])")


SOFTWARE = re.compile(r"(?i:software|logiciel|platform|plateforme|suite|app)s?$")


# a product's maker after it: "SolidWorks de Dassault Systèmes", "the DX5 from Sentrix",
# "l'exosquelette PX-Lumbar (Ergovia)"
MAKER_AFTER = re.compile(r" (?:de la societe |du groupe |de |d'|du |by |from |made by |\()(?=[A-Za-z0-9])")


# after a maker: a verb and the product it launches: "Nordson launched the ProBlue Flex"
LAUNCH_VERBS = (
    r"lance(?:nt)?|presente(?:nt)?|devoile(?:nt)?|annonce(?:nt)?|commercialise|propose|livre|installe|deploie|"
    r"a (?:lance|presente|devoile|annonce|livre|installe|deploye)|vient de (?:lancer|presenter|devoiler)|"
    r"(?:has |have |will |is set to |plans to )?(?:launch(?:es|ed)?|unveil(?:s|ed)?|introduc(?:es|ed|e)|"
    r"announc(?:es|ed|e)|present(?:s|ed)?|releas(?:es|ed|e)|ship(?:s|ped)?|showcas(?:es|ed|e)|debut(?:s|ed)?|"
    r"roll(?:s|ed)? out|offer(?:s|ed)?|deliver(?:s|ed)?|install(?:s|ed)?|deploy(?:s|ed)?|add(?:s|ed)|"
    r"updat(?:es|ed)|upgrad(?:es|ed)|expand(?:s|ed)|extend(?:s|ed)|publish(?:es|ed))|"
    r"met a jour|renforce|etoffe|enrichit|publie|a publie|a mis a jour|"
    # a recall names the product as a launch does
    r"rappelle(?:nt)?|recall(?:s|ed)|is recalling")


LAUNCH_AFTER = re.compile(
    rf"(?: (?:GmbH|AG|SAS|SA|Inc|Ltd|LLC|Corp|plc|NV|AB|SE|SpA)\.?)?"
    rf"(?:'s? (?:(?:new|latest|updated|flagship|next-generation|nouveau|nouvelle) )?|,? (?:{LAUNCH_VERBS}) (?:(?:le|la|les|l'|une?|des|sa|son|ses|the|a|an|its|their|new|first|latest)"
    rf"(?: |(?<=') ?))?(?:(?!{LINKS}\b)(?:d')?[a-z]+ ){{0,2}}"
    # a range extended with a model: "Epson élargit sa gamme de robots SCARA avec le GX10B"
    rf"|,? (?:etend|elargit|complete|enrichit|extends|expands|broadens) (?:sa|son|its|their) "
    rf"(?:gamme|range|line-up|lineup|offre|portfolio|famille|family)[^,.;:()]{{0,40}}? (?:avec|with) "
    rf"(?:(?:le|la|les|l'|the|a|an|un|une|its|new|nouveau|nouvelle)(?: |(?<=')))?)")


ARTICLES = frozenset("l' le la les the".split())


# the last word of each frame before a name, for a set test before any pattern runs
OBJECT_LAST = frozenset(
    "rachete racheter de du d' acquiert acquerir acquis acquired acquires acquire of buys bought avec a with "
    "chez comme as to par by owned detenu mere company including dont alongside cotes aupres".split())


ROLE_LAST = frozenset(ROLES)


ROLE_FR_SET = frozenset(ROLES_FR)


# job titles: a person's, not an organisation's, name follows ("le directeur industriel Marc Lefort")
SITES = frozenset("usine usines site sites plant plants factory factories ville city region entrepot "
                   "warehouse campus agglomeration commune".split())


JOBS = frozenset("directeur directrice director ceo pdg president presidente manager responsable ingenieur "
                  "engineer fondateur founder cofondateur chairman chairwoman head chef vp analyst analyste "
                  "professeur professor chercheur researcher minister ministre depute senator".split())


LINK_WORDS = frozenset(LINKS[3:-1].replace("r\"", "").split("|"))


def _inflected(spec: str) -> frozenset[str]:
    """Word forms from "stem:suffix,suffix" entries (a bare entry is a form of its own)."""
    forms = set()
    for entry in spec.split():
        stem, _, suffixes = entry.partition(":")
        forms.add(stem)
        forms.update(stem + suffix for suffix in suffixes.split(",") if suffix)
    return frozenset(forms)


# Verbs of English Title Case headlines beyond VERBS (which also frame a name as acting): in
# such a headline they are read in small letters, so that a name does not run on over them
# ("Siemens and Nvidia Deepen Digital Twin Alliance"). Words that names use ("Drive", "Flow",
# "Works", "Set", "Advanced", "United", "Complete", "Scale", "Secure") are not among them.
HEADLINE_VERBS = _inflected("""
    deepen:s,ed strengthen:s,ed broaden:s,ed widen:s,ed bolster:s,ed accelerate:s,d
    advances enhances improve:s,d upgrade:s,d renew:s,ed extend:s,ed doubles doubled
    triples tripled halve:s,d slash:es,ed scales scaled reaches surpass:es,ed hits exceed:s,ed
    wins won loses lost eye:s,d bets backs backed weigh:s,ed seeks sought sees saw
    plans planned aim:s,ed reveal:s,ed unveil:s,ed celebrate:s,d marks marked pilots piloted
    trials trialled trialed validate:s,d qualifies qualified approve:s,d mandate:s,d
    require:s,d bans banned restrict:s,ed fines fined cites cited sues sued settle:s,d
    commits committed pledge:s,d funds funded finances financed leads led exits exited divest:s,ed
    combines collaborate:s,d enable:s,d helps helped boost:s,ed cuts
    expand:s,ed acquire:s,d buys consolidate:s,d prepare:s,d explore:s,d gains gained
    grows grew invests invested hire:s,d appoint:s,ed announce:s,d confirm:s,ed completes completed
    signs signed inks inked seals sealed agree:s,d launch:es,ed debut:s,ed introduce:s,d
    showcase:s,d demonstrate:s,d unlock:s,ed reshape:s,d transform:s,ed modernise:s,d
    modernize:s,d automate:s,d digitise:s,d digitize:s,d electrifies electrified
    decarbonise:s,d decarbonize:s,d tackle:s,d addresses addressed targets targeted
    receive:s,d secures secured obtain:s,ed earns earned gets got takes took makes made puts
    keeps kept joins joined leaves left shifts shifted switches switched turns turned
    brings brought offers offered delivers delivered ships shipped orders ordered awards
    awarded selects selected chooses chose picks picked taps tapped adopt:s,ed deploy:s,ed
    installs installed opens opened closes closed halts halted pauses paused resume:s,d
    restarts restarted warn:s,ed urge:s,d calls asks asked tells told says said reports
    reported raises raised lifts lifted lowers lowered trims trimmed reduce:s,d rises rose
    falls fell drops dropped jumps jumped soars soared surges surged climbs climbed
""")


def phrases(spec: str) -> frozenset[tuple[str, ...]]:
    """Word tuples from lines of positions, each position's alternatives split by "|"."""
    out: set[tuple[str, ...]] = set()
    for line in spec.strip().splitlines():
        tuples = [()]
        for position in line.split():
            tuples = [t + (alt,) for t in tuples for alt in position.split("|")]
        out.update(tuples)
    return frozenset(out)


# what precedes an organisation bought, joined, supplied, chosen or worked at
OBJECT_FRAMES = phrases("""
rachete|racheter|acquiert|acquerir|acquired|acquires|acquire|buys|bought|chez|alongside|confie
a rachete|acquis
rachat|acquisition|filiale|spin-off|fournisseur|distributeur|commande|aupres|compte de|du|d'
acquisition|subsidiary|distributor|spin-off of
partenariat|collaboration|contrat|fusion|associe|allie|associent|allient avec
s'associe|s'allie|s'associent|s'allient a
partners|partner|partnered|partnership|merger|contract|collaborates|collaborated|collaborating with
teams|team|teamed up with
clients|client comme|dont
customers|customer including
customers|customer such as
sold to
vendu a
order from
aux cotes de|du|d'
maison mere
parent company
retenu|retenue|retenus|retenues|choisi|choisie|choisis|choisies|selectionne|selectionnee|selectionnes|adopte|adoptee|adoptes|fourni|fournie|fournis|fournies|developpe|developpee|developpes|rachete|rachetee|equipe|equipee|equipes|commande|commandee|detenu|detenue par
acquired|backed|used|chosen|selected|adopted|developed|built|made|owned|led|funded|integrated by
integre|integree|integres|integrees par
spins|spun|spin out
engineers|technicians|workers|operators|staff|employees|researchers|manager|director|spokesperson|teams at
control|stake|shares|controle|participation of|in|de|d'|dans
capital de|du|d'
""")


# a country's possessive before a company: "Italy's Tenova", "Japan's Fanuc"
NATIONS_EN = frozenset("""germany italy japan china korea sweden switzerland denmark austria spain finland
norway belgium canada israel taiwan india britain france netherlands poland turkey brazil mexico""".split())
NATION_SET = frozenset(NATIONS) | frozenset(n + "e" for n in NATIONS) | frozenset(n + "ne" for n in NATIONS)


# the words of the frames above, added to the words a text is seen through (``Text.words``): a
# text with none of them has no organisation a frame names with a common word ("le fabricant Rational")
FRAME_VOCABULARY = frozenset(w.encode() for w in (OBJECT_LAST | ROLE_LAST | NATION_SET)
                             if w.isalpha() and len(w) > 3)


TYPE_WORDS = frozenset(w.lower() for w in re.findall(r"[A-Za-z]+", TYPES.replace("s?", "")))


TYPE_VOCABULARY = frozenset(w.encode() for w in TYPE_WORDS) | frozenset(w.encode() + b"s" for w in TYPE_WORDS)


# participles of passive frames ("retenus par", "selected by"): their words, as a text is seen
PASSIVES = frozenset(f"{stem}{end}".encode() for stem in
                      "retenu choisi selectionne adopte fourni developpe rachete equipe commande integre".split()
                      for end in ("", "e", "s", "es")) | frozenset(
    b"acquired backed used chosen selected adopted developed built made led funded integrated spins spun".split())


TRIGGERS = FRAME_VOCABULARY | TYPE_VOCABULARY | PASSIVES


# every verb form opens with one of the pattern's words: a set test on the next word's first
# three letters rules most places out before the long alternation is tried
VERB_PREFIXES = frozenset(w[:3] for w in re.findall(r"[a-z']+", VERBS))


@lru_cache(maxsize=65536)
def common(word: str) -> bool:
    """A common word of French or English (accents and case aside)."""
    return (word if word.isascii() else fold(word)).lower() in frequencies()[0]


@lru_cache(maxsize=65536)
def camel(token: str) -> bool:
    """Written with a capital inside a word: "AddUp", "HandySCAN", "ctrlX", "Raise3D"."""
    return any(a.islower() and (b.isupper() or b.isdigit()) for a, b in zip(token, token[1:]))


@lru_cache(maxsize=65536)
def namey(token: str) -> bool:
    """Whether a capitalised word can open a maker's name: no generic acronym, and written in
    camel case or not a common word ("Nordson", "GXO", "Raise3D"; not "Mardi", "Robot")."""
    if len(token) < 2 or token in GENERIC or token in OPENERS:
        return False
    if camel(token) or any(c.isdigit() for c in token) and not token.isdigit():
        return True
    lowered = token.lower()
    if lowered in TYPE_WORDS or lowered[:-1] in TYPE_WORDS and lowered.endswith("s"):
        return False                     # "Cobots Under…": a product type opening a headline
    return not common(token.split("-")[0]) and not common(token)


@lru_cache(maxsize=65536)
def is_code(token: str) -> bool:
    """A model code ("HC30PL", "CRX-10iA", "UR10e", "290-2"), not a name written with a digit
    ("Raise3D", "Wi6labs", "Filéa3D": four small letters or more, no hyphen)."""
    if token.isalpha() or "-" not in token and sum(c.islower() for c in token) >= 4:
        return False
    return bool(CODE_TOKEN.match(token))


LEGAL = frozenset("GmbH AG SAS SA SARL SE Inc Ltd Corp plc PLC LLC Co NV BV AS ASA AB Oy KG SpA SRL Srl Pty KK "
                   "ApS Pvt Ltda Corporation A/S Pte KGaA".split())


# "BMW's Spartanburg plant", "le site Renault de Flins", "Heineken's Zoeterwoude brewery", "its
# Aschaffenburg and Châtellerault plants": a site, not a product; nor a scheme its audit or
# approval follows ("its Nadcap heat-treatment audit")
SITE_AFTER = re.compile(r"(?: (?:and|et|&) [A-Z][\w'-]*)? (?:[a-z-]+ )?(?:plant|site|factory|facility|usine|"
                         r"headquarters|siege|campus|warehouse|"
                         r"entrepot|center|centre|hub|depot|line|works|campaign|campagne|programme|program|"
                         r"initiative|project|projet|prize|award|audit|accreditation|certification|certificate|approval|"
                         r"mill|smelter|gigafactory)s?\b|"
                         r" (?:brewer|refiner|foundr)(?:y|ies)\b")


STANDARD_BODIES = frozenset("ISO IEC EN NF CEI DIN VDI ASTM UL".split())
# and the other bodies whose designations name standards, not products ("ISA-95 models", "NFPA 70E")
DESIGNATORS = STANDARD_BODIES | frozenset("ISA NFPA ANSI IEEE ASME API SAE VDA AIAG JIS GB BS IATF CACES STEP".split())


NOT_A_CODE = re.compile(r"(?:CVE-[\d-]+|[45]\.0|\d+-[a-z]+|\d+-DOF|\d+x\d+|Q[1-4]|H[12]|M\d{1,2}|\d{1,2}-\d{1,2}|"
                         r"\d+(?:e|er|eme|st|nd|rd|th|kg|g|mm|cm|m|km|kW|W|V|A|Nm|t|h|s|Hz|kHz|bar)"
                         r"|(?:19|20)\d\d)$")


DIMENSION = re.compile(r"\d[Dd](?:/\d[Dd])*$")


BEFORE_WORDS = OBJECT_LAST | ROLE_LAST | TYPE_WORDS | frozenset("et and & , ; (".split())


@lru_cache(maxsize=65536)
def plain(token: str) -> bool:
    """Written like a name or a word: a capital, then small letters ("Shiffrin", "Neudegg")."""
    return token[1:].islower() and token[1:].isalpha()


# "the sensor maker ifm", "le fabricant de capteurs ifm": a name in small letters the text frames
SMALL_MAKER = re.compile(r"\b[a-z]+ (?:maker|manufacturer|supplier|vendor) (?P<name>[a-z][a-z0-9]{1,15})(?![\w'-])"
                          r"|\b(?:fabricant|fournisseur|editeur) (?:de|d') ?[a-z]+ (?P<name2>[a-z][a-z0-9]{1,15})(?![\w'-])")


SMALL_MAKER_BYTES = frozenset(b"maker manufacturer supplier vendor fabricant fournisseur editeur".split())


# names of institutions with small link words inside: "Health and Safety Executive", "Institut
# de Soudure", "Office for National Statistics", "Chantiers de l'Atlantique"
INSTITUTIONS = ("Institute Institut Centre Center Agency Agence Authority Office Executive Federation Federation "
                 "Association Council Conseil Foundation Fondation Laboratoire Laboratory Caisse Chantiers "
                 "Ministry Ministere Commission Bureau Chamber Chambre Society Societe Union University").split()


VENUES = frozenset("Convention Exhibition Expo Congress Conference Events Shopping Trade Data Distribution "
                    "Fulfilment Fulfillment Service Call Cobo Visitor Visitors Sports Medical".split())


# French schools, ministries and training bodies named by a type word in small letters and a
# place or a name: "l'université de Lorraine", "le ministère de l'Industrie", "l'IUT de Béthune",
# "le Greta du Velay", "l'École Centrale de Nantes", "l'Afpi Bretagne"; a lycée by its name
# only ("le lycée Loritz de Nancy": the town is no part of it)
_PROPER = r"[A-Z][\w-]*"
_OF = r"(?: (?:de la |de l'|du |des |de |d'))"
PROPER_CHAIN = rf"{_PROPER}(?:{_OF}?{_PROPER})*"   # "Val de Loire", "Grand Est"
OF_PROPER = re.compile(rf"{_OF}{PROPER_CHAIN}")
FR_INSTITUTION = re.compile(
    rf"(?<![\w-])(?P<name>(?i:universite|ecole|iut|greta|institut|ministere|afpi)"
    rf"(?:(?: {_PROPER})?{_OF}{PROPER_CHAIN}| {PROPER_CHAIN})|(?i:lycee|college) {_PROPER})")
FR_INSTITUTION_WORDS = frozenset(b"universite ecole iut greta institut ministere afpi lycee college".split())


INSTITUTION_VOCABULARY = frozenset(w.lower().encode() for w in INSTITUTIONS) | FR_INSTITUTION_WORDS


# camel-case names of protocols and technologies, not products
PROTOCOLS = frozenset("EtherCAT LoRaWAN LoRa PROFINET ProfiNet PROFIBUS EtherNet CANopen ZigBee WiFi Wi-Fi IoT IIoT "
                       "IO-Link GigE 10GigE 5GigE CC-Link Modbus BACnet KNX DALI Profinet Profibus EtherNet/IP "
                       "OPC MQTT DevOps MLOps FinOps JavaScript TypeScript PowerShell GitHub LinkedIn YouTube "
                       "WhatsApp ChatGPT OpenAI FSoE PROFIsafe CIP OCT E/S I/O OpenVPN IPsec WireGuard Sparkplug "
                       "Ethernet-APL APL".split())


# what a product is used, shipped or built with: "ships with PC-DMIS", "basé sur EcoStruxure"
USED_FRAMES = phrases("""
ships|comes|equipped|fitted|integrated|compatible with
livre|livree|livres|equipe|equipee|equipes|integre|compatible avec|de
base|basee|bases|built|based sur|on
autour de|d'
using|uses|use|runs|run|deploys|deployed|utilise|utilisent|exploite|pilote|adopte|adopted|selected|selects|chose|chooses|picks|retenu|retient|selectionne|choisi|choisit
""")


OWNERS = frozenset("its their his her son sa ses leur leurs notre our".split())


NOT_COINED = re.compile(r"(?:Mc|Mac|De|Di|Van|Von|La|Le)[A-Z]")


# what ends a division's or a subsidiary's name after its parent's
DIVISIONS = frozenset(
    "France America Americas Europe Japan Deutschland Germany UK Italia Italy Iberica Espana Asia China India "
    "Canada Benelux Nordic Schweiz Suisse Austria Polska USA Industry Industrial Digital Aircraft Engines "
    "Landing Defence Defense Helicopters Helicopteres Trucks Intelligence Associates Healthineers Mobility "
    "Services Atlantic Aviation Energy Space Cars Motor Alloys Didactic Renouvelables Trucks Buses Rail "
    "Marine Medical Solutions Logistics Retail Foods International Chain Construction Genie Energies "
    "Infrastructures Immobilier Batiment Nucleaire Nuclear Chimie Chemicals Electronique Electronics "
    "Telecom Aerostructures Industrie Service Lease Leasing Innovation Packaging Transmission Distribution "
    "Electricity Ouest Est Nord Sud Hydrogen Hydrogene Glass Extrusions Compresseurs Compressors Car "
    "Castings Forgings Composites Coatings Plastics Safety Instrumente Lubrifiants Lubricants Academy Academie "
    # a country's arm: "Nobina Sweden", "Arriva Denmark", "Go-Ahead Ireland"
    "Sweden Sverige Denmark Danmark Norway Norge Finland Suomi Ireland Netherlands Nederland Belgium Belgique "
    "Spain Portugal Poland Brasil Brazil Mexico Australia Korea Singapore Turkey Hungary Romania Scotland "
    "Luxembourg "
    # an arm's trade: "DHL Supply Chain", "Danone Waters", "Severn Trent Water", "Linde Gas",
    # "Amcor Flexibles", "Amazon France Logistique", "Safran Additive Manufacturing Campus"
    "Supply Water Waters Gas Flexibles Logistique Campus".split())


# A body's regional office: "la Carsat Rhône-Alpes", "la DREAL Grand Est" (folded spellings)
REGION_AFTER = re.compile(
    r" (?:Auvergne-Rhone-Alpes|Rhone-Alpes|Bourgogne-Franche-Comte|Bretagne|Centre-Val de Loire|Corse"
    r"|Grand Est|Hauts-de-France|Ile-de-France|Normandie|Nouvelle-Aquitaine|Occitanie"
    r"|Pays de la Loire|Provence-Alpes-Cote d'Azur|PACA|Sud-Est|Nord-Est|Nord-Picardie|Centre-Ouest"
    r"|Alsace-Moselle|Languedoc-Roussillon|Midi-Pyrenees|Aquitaine|Bourgogne|Auvergne|Guadeloupe"
    r"|Martinique|Guyane|La Reunion|Mayotte|Lorraine|Alsace|Champagne-Ardenne|Picardie|Limousin"
    r"|Poitou-Charentes|Franche-Comte|Nord-Pas-de-Calais|Haute-Normandie|Basse-Normandie)(?![\w-])")


# "PepsiCo's Frito-Lay division": an organisation, not a product
DIVISION_AFTER = re.compile(r" (?:division|subsidiary|unit|filiale|business unit)\b")


CITING = frozenset({("selon",), ("d'apres",), ("according", "to"), ("d'apres", "le"), ("d'apres", "la")})


PRODUCT_VERBS = re.compile(r" (?:adds|added|gets|supports|brings|offers|provides|integrates|extends|expands|runs|"
                            r"ajoute|integre|prend en charge|gagne|offre|propose)\b")


PLACE_AFTER = re.compile(r" ?(?:[a-z-]+ )?(?:port|airport|harbour|harbor|city|region|government|economy|plant|site|"
                          r"factory|factories|capital|coast|mayor|governor|largest|biggest)s?\b")


def _names_file(name: str) -> frozenset[str]:
    """The names of a data file next to this module, one a line, folded and lower case."""
    text = Path(__file__).with_name(name).read_text(encoding="utf-8")
    return frozenset(fold(line.strip()).lower() for line in text.splitlines() if line.strip())


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """People's given names, folded and lower case ("felix", "jean-marc", "niraj"): French,
    English and the other names a watch's news quote, none an ordinary word or the first word
    of a known company or product ("Will", "Tesla" are not there)."""
    return _names_file("given_names.txt")


@lru_cache(maxsize=1)
def places() -> frozenset[str]:
    """Countries, regions, cities, towns and industrial sites, folded and lower case ("lacq",
    "hellemmes", "dunkirk", "fos-sur-mer"): a place named where a name could be ("l'injecteur
    de Montaigu", "a Bristol start-up") is none. None is a known company's or brand's name or
    an ordinary word (Toyota, Nokia, Nice, Tours are not there)."""
    return _names_file("places.txt")


# the small words inside a surname ("Ursula von der Leyen", "Carlos de la Fuente")
_PARTICLES = frozenset("de du des d' la le van von der den da di del della dos das do bin ben al el ter ten".split())
_INITIAL = re.compile(r"[A-Z]\.?")


# what a person's name may open with: a title ("Dr Lena Hoffmann", "Vice-president Marta Ruiz")
_TITLES = frozenset("dr dr. prof prof. pr pr. mr mr. mrs mrs. ms ms. mme mlle m. sir dame lord "
                    "vice-president vice-presidente".split()) | JOBS


def person_name(tokens: list[str]) -> bool:
    """Whether a run of words is a person's name: a given name (a title before it), then
    surname words written with a capital (or in capitals, as French texts write surnames:
    "Philippe DUGRAIN"), an initial or a particle between; none of them a company's head,
    division or trade word, a legal form or a generic acronym ("Nick Clegg", "Dr Lena
    Hoffmann", "Jean-Marc Dupont", "John F. Kennedy"; not "Martin Engineering", "Victor AG")."""
    while tokens and fold(tokens[0]).lower() in _TITLES:
        tokens = tokens[1:]
    if not 2 <= len(tokens) <= 5:
        return False
    first = fold(tokens[0]).lower()
    if first.encode() in FR_INSTITUTION_WORDS:
        return False                     # "le Greta du Velay": a training body
    if first not in given_names() and not ("-" in first and all(p in given_names() for p in first.split("-"))):
        return False
    surname = False
    for token in tokens[1:]:
        word = fold(token)
        if word.lower() in _PARTICLES or _INITIAL.fullmatch(word):
            continue
        letters = word.replace("-", "").replace("'", "")
        if not (letters.isalpha() and word[0].isupper()) or word in LEGAL or word in GENERIC \
                or word.capitalize() in HEADS or word.capitalize() in DIVISIONS or word.lower() in TRADES \
                or word.isupper() and len(word) < 4:
            return False
        surname = True
    return surname


def surnames(runs: list[list[str]]) -> frozenset[str]:
    """The last words of the runs that are people's names: a person named again by the
    surname alone ("Tom Hargreaves ... Hargreaves will push")."""
    return frozenset(tokens[-1] for tokens in runs if len(tokens) > 1 and person_name(tokens))
