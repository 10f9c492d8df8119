// 公文校核 page: show the chosen file's name beside the Chinese picker button.
(function () {
  const input = document.getElementById("check-file");
  const chosen = document.getElementById("chosen");
  if (!input || !chosen) return;
  input.addEventListener("change", function () {
    chosen.textContent = input.files.length ? "已选择：" + input.files[0].name : "未选择文件";
  });
})();
