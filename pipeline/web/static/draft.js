// The drafting form: "添加一条" adds another box to a list slot (意见, 要点 …), each box one item.
"use strict";
document.querySelectorAll("button.add-item").forEach((button) => {
  button.addEventListener("click", () => {
    const items = document.getElementById(button.dataset.items);
    const last = items.querySelector("textarea:last-of-type");
    const box = last.cloneNode(false);
    box.value = "";
    box.removeAttribute("id");
    items.appendChild(box);
    box.focus();
  });
});
