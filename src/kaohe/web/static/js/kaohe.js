// Small behaviours that the Content-Security-Policy keeps out of inline attributes.

// How many boxes named `field` are ticked in the form around `element`.
function ticked(element, field) {
  const form = element.closest("form") || document;
  return form.querySelectorAll(`input[type=checkbox][name="${field}"]:checked`).length;
}

function showCounts(form) {
  form.querySelectorAll("[data-selected-count]").forEach((label) => {
    label.textContent = `已选 ${ticked(label, label.dataset.selectedCount)} 条`;
  });
}

// A button with data-confirm asks first; with data-confirm-count it names how many boxes are ticked
// ({n} in the question) and refuses to go on when none is.
document.addEventListener("click", (event) => {
  const select = event.target.closest("[data-select]");
  if (select) {
    const form = select.closest("form");
    form.querySelectorAll(`input[type=checkbox][name="${select.dataset.field}"]`).forEach((box) => {
      box.checked = select.dataset.select === "all";
    });
    showCounts(form);
    return;
  }
  const button = event.target.closest("[data-confirm]");
  if (!button) return;
  let question = button.dataset.confirm;
  if (button.dataset.confirmCount) {
    const n = ticked(button, button.dataset.confirmCount);
    if (n === 0) {
      window.alert("请先勾选记录。");
      event.preventDefault();
      return;
    }
    question = question.replace("{n}", String(n));
  }
  if (!window.confirm(question)) {
    event.preventDefault();
  }
});

document.addEventListener("change", (event) => {
  if (event.target.matches("input[type=checkbox]") && event.target.form) showCounts(event.target.form);
});
// Charts: each <div class="chart" data-chart="{ECharts option as JSON}"> becomes a chart once ECharts
// has loaded (the page includes it only when it has charts), and follows the window's width.
function drawCharts(root) {
  if (!window.echarts) return;
  root.querySelectorAll(".chart[data-chart]").forEach((element) => {
    if (element.dataset.drawn) return;
    element.dataset.drawn = "1";
    if (element.dataset.height) element.style.height = `${element.dataset.height}px`;
    const chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption(JSON.parse(element.dataset.chart));
    window.addEventListener("resize", () => chart.resize());
  });
}
window.addEventListener("load", () => drawCharts(document));

// On a phone wide tables read as cards: each cell carries its column's header as data-label, which
// the stylesheet shows before the value. Runs on the page and on every piece htmx swaps in.
function labelCells(root) {
  root.querySelectorAll("table.table:not(.keep)").forEach((table) => {
    const heads = Array.from(table.querySelectorAll(":scope > thead > tr:first-child > th"))
      .map((th) => th.textContent.trim());
    if (!heads.length) return;
    table.querySelectorAll(":scope > tbody > tr").forEach((row) => {
      let column = 0;
      Array.from(row.children).forEach((cell) => {
        if (!cell.hasAttribute("data-label")) cell.setAttribute("data-label", heads[column] || "");
        // Long values take the card's whole width; short ones sit two to a line.
        if (cell.textContent.trim().length > 10 || cell.querySelector("form, progress, ul")) cell.classList.add("wide");
        column += cell.colSpan || 1;
      });
    });
  });
}
document.addEventListener("DOMContentLoaded", () => labelCells(document));
document.addEventListener("htmx:load", (event) => labelCells(event.target.parentElement || document));
