// 年鉴资料 page: the 不收录 ticks are kept per year in the browser, so that ticks made on the
// 大事记 tab still count when the pack is downloaded from the 统计数据 tab; the download form
// sends every id ticked for its year.
(function () {
  const form = document.getElementById("pack");
  if (!form) return;
  const yearInput = form.querySelector("input[name=year]");
  const note = document.getElementById("left-out");
  const key = () => "gongwen-yearbook-exclude-" + (yearInput.value.trim() || "all");

  function stored() {
    try { return new Set(JSON.parse(localStorage.getItem(key()) || "[]")); } catch (e) { return new Set(); }
  }
  function save(ids) { localStorage.setItem(key(), JSON.stringify(Array.from(ids))); }
  function boxes() { return Array.from(document.querySelectorAll("input[name=exclude][form=pack]")); }
  function showCount(ids) { note.textContent = ids.size ? "（已勾选不收录 " + ids.size + " 条）" : ""; }

  function restore() {
    const ids = stored();
    boxes().forEach((box) => { box.checked = ids.has(box.value); });
    showCount(ids);
  }
  boxes().forEach((box) => box.addEventListener("change", () => {
    const ids = stored();
    if (box.checked) ids.add(box.value); else ids.delete(box.value);
    save(ids);
    showCount(ids);
  }));
  yearInput.addEventListener("change", restore);
  form.addEventListener("submit", () => {
    form.querySelectorAll("input.remembered").forEach((input) => input.remove());
    const shown = new Set(boxes().map((box) => box.value));
    stored().forEach((id) => {
      if (shown.has(id)) return;  // a box on this page is sent by the form itself
      const input = document.createElement("input");
      input.type = "hidden"; input.name = "exclude"; input.value = id; input.className = "remembered";
      form.appendChild(input);
    });
  });
  restore();
})();
