// The comparison grid of the watch sheet form: add a solution (row) or a criterion
// (column). Inputs are named solution-R, criterion-C and cell-R-C; the server reads them
// in index order, so new rows and columns take the next free index.
(function () {
  const grid = document.getElementById("comparison-grid");
  if (!grid) return;
  const head = grid.tHead.rows[0];
  const body = grid.tBodies[0];
  const nextIndex = (selector, pattern) => {
    let max = -1;
    grid.querySelectorAll(selector).forEach((el) => {
      const m = el.name.match(pattern);
      if (m) max = Math.max(max, Number(m[1]));
    });
    return max + 1;
  };
  const input = (name, label) => {
    const el = document.createElement("input");
    el.type = "text"; el.name = name;
    if (label) el.setAttribute("aria-label", label);
    return el;
  };
  const columns = () => Array.from(head.querySelectorAll("input[name^=criterion-]"))
    .map((el) => Number(el.name.split("-")[1]));
  const rowIndex = (tr) => Number(tr.querySelector("input[name^=solution-]").name.split("-")[1]);

  document.getElementById("add-row").addEventListener("click", (event) => {
    const r = nextIndex("input[name^=solution-]", /^solution-(\d+)$/);
    const tr = body.insertRow();
    const th = document.createElement("th");
    th.appendChild(input(`solution-${r}`, `${event.target.dataset.label} ${r + 1}`));
    tr.appendChild(th);
    columns().forEach((c) => tr.insertCell().appendChild(input(`cell-${r}-${c}`)));
    th.querySelector("input").focus();
  });

  document.getElementById("add-column").addEventListener("click", (event) => {
    const c = nextIndex("input[name^=criterion-]", /^criterion-(\d+)$/);
    const th = document.createElement("th");
    th.appendChild(input(`criterion-${c}`, `${event.target.dataset.label} ${c + 1}`));
    head.appendChild(th);
    Array.from(body.rows).forEach((tr) => tr.insertCell().appendChild(input(`cell-${rowIndex(tr)}-${c}`)));
    th.querySelector("input").focus();
  });
})();
