// The story editor keeps a copy of what is typed in this browser (localStorage), so a lost
// connection, an expired session or a server error never loses words. When the page opens
// with text that differs from the copy, it offers to put the copy back.
(function () {
  "use strict";
  var form = document.getElementById("story-form");
  if (!form || !window.localStorage) return;
  var key = "beacon-draft:" + form.dataset.draftKey;
  var title = form.querySelector("[name=title]");
  var body = form.querySelector("[name=body]");
  var read = function () {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  };
  var write = function () {
    try {
      localStorage.setItem(key, JSON.stringify({ title: title.value, body: body.value, at: Date.now() }));
    } catch (e) { /* storage full or blocked: the server autosave still runs */ }
  };
  var saved = read();
  if (saved && (saved.body !== body.value || saved.title !== title.value) && saved.body.trim()) {
    var notice = document.createElement("div");
    notice.className = "notice notice-calm";
    notice.setAttribute("role", "status");
    var text = document.createElement("p");
    text.textContent = "This browser kept a newer copy of your words (" +
      new Date(saved.at).toLocaleString() + ").";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-secondary";
    button.textContent = "Put that copy back";
    button.addEventListener("click", function () {
      title.value = saved.title;
      body.value = saved.body;
      notice.remove();
      body.dispatchEvent(new Event("input", { bubbles: true }));
    });
    notice.append(text, button);
    form.prepend(notice);
  } else if (saved) {
    localStorage.removeItem(key);
  }
  form.addEventListener("input", write);
})();
