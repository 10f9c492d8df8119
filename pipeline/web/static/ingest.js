// Batch ingest page: post the form, then poll the job's counter until it ends.
(function () {
  const form = document.getElementById("ingest-form");
  const box = document.getElementById("job");
  const state = document.getElementById("job-state");
  const bar = document.getElementById("job-bar");
  const counter = document.getElementById("job-counter");
  const summary = document.getElementById("job-summary");

  const pickers = [document.getElementById("files"), document.getElementById("folder")];
  const chosen = document.getElementById("chosen");

  function showChosen() {
    const names = pickers.flatMap((input) => Array.from(input.files).map((f) => f.webkitRelativePath || f.name));
    if (!names.length) { chosen.textContent = "未选择文件"; return; }
    const shown = names.slice(0, 3).join("、") + (names.length > 3 ? " 等" : "");
    chosen.textContent = "已选择 " + names.length + " 个文件：" + shown;
  }
  pickers.forEach((input) => input.addEventListener("change", showChosen));

  function listOf(title, rows, text) {
    if (!rows.length) return "";
    const items = rows.map((r) => "<li>" + escapeHtml(r.path) + "：" + escapeHtml(text(r)) + "</li>").join("");
    return "<h3>" + title + "</h3><ul>" + items + "</ul>";
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  }

  function show(job) {
    box.hidden = false;
    const total = job.total === null ? "?" : job.total;
    counter.textContent = "已处理 " + job.done + " / " + total + " 件";
    if (job.total) { bar.max = job.total; bar.value = job.done; }
    if (job.state === "queued") state.textContent = "排队中……";
    if (job.state === "running") state.textContent = job.total === null ? "正在清点文件……" : "正在入库……";
    if (job.state === "error") state.textContent = job.error;
    if (job.state === "done") {
      const s = job.summary;
      bar.max = 1; bar.value = 1;
      state.textContent = "入库完成，用时 " + s.seconds.toFixed(1) + " 秒";
      summary.innerHTML =
        "<p>新增 " + s.added + " 件，更新 " + s.updated + " 件，未变 " + s.unchanged + " 件，重复 " +
        s.duplicates + " 件，失败 " + s.failed.length + " 件，隔离 " + s.quarantined.length + " 件</p>" +
        listOf("失败的文件", s.failed, (r) => r.error) +
        listOf("已隔离的涉密文件（不入索引、不予显示）", s.quarantined, (r) => r.reason);
    }
    return job.state === "done" || job.state === "error";
  }

  async function poll(id) {
    const response = await fetch("/api/ingest/" + id);
    const job = await response.json();
    if (!show(job)) setTimeout(() => poll(id), 400);
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    summary.innerHTML = "";
    box.hidden = false;
    state.textContent = "正在上传……";
    // the page's CSRF token: the server refuses a state-changing request without it
    const token = document.querySelector('meta[name="csrf-token"]').content;
    const response = await fetch("/api/ingest", {method: "POST", body: new FormData(form),
                                                 headers: {"X-CSRF-Token": token}});
    const job = await response.json();
    if (!response.ok) { state.textContent = job.detail || "提交失败"; return; }
    form.reset();
    showChosen();
    show(job);
    poll(job.id);
  });
})();
