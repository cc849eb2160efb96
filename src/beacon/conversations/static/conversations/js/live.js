// Live answers on a conversation page: the server streams every answer changed since the
// last change we saw (server-sent events), and this adds, replaces or removes those
// elements. Where a stream cannot be held (no EventSource, or the server has no stream
// place left) the page polls instead. Without JavaScript the page still works: "Show new
// answers" reloads it with everything.
(function () {
  "use strict";
  var root = document.querySelector("[data-live]");
  if (!root || !window.fetch || root.dataset.status !== "open") return;
  var url = root.dataset.live;
  var streamUrl = root.dataset.stream;
  var since = root.dataset.since || "0";
  var every = Math.max(500, Number(root.dataset.every) || 1000);
  var status = document.getElementById("live-status");
  var timer = null;
  var busy = false;
  var stopped = false;

  function announce(text) {
    if (status && text) status.textContent = text;
  }

  function place(item) {
    var existing = document.getElementById(item.id);
    if (item.hasAttribute("data-gone")) {
      if (existing) existing.remove();
      return false;
    }
    var list = document.getElementById(item.dataset.list);
    if (existing) {
      // Replies arrive as items of their own: keep the ones already shown.
      var oldReplies = existing.querySelector(":scope > .replies");
      var newReplies = item.querySelector(":scope > .replies");
      if (oldReplies && newReplies) newReplies.replaceWith(oldReplies);
      var oldSlot = existing.querySelector(":scope > [id^='reply-slot-']");
      var newSlot = item.querySelector(":scope > [id^='reply-slot-']");
      if (oldSlot && newSlot) newSlot.replaceWith(oldSlot);
      keepPressed(existing, item);
      var wasPinned = existing.hasAttribute("data-pinned");
      existing.replaceWith(item);
      if (list && wasPinned !== item.hasAttribute("data-pinned")) position(list, item);
      return false;
    }
    if (!list) return false;
    position(list, item);
    return true;
  }

  // Updates shared by every reader show the counts; which reactions are this reader's own
  // is known to this page (it was rendered for them, and their own clicks update it).
  function keepPressed(existing, item) {
    var own = {};
    existing.querySelectorAll(":scope > .reactions button[aria-pressed]").forEach(function (b) {
      var form = b.closest("form");
      var kind = form && form.querySelector("input[name='kind']");
      if (kind) own[kind.value] = b.getAttribute("aria-pressed") === "true";
    });
    item.querySelectorAll(":scope > .reactions button[aria-pressed]").forEach(function (b) {
      var form = b.closest("form");
      var kind = form && form.querySelector("input[name='kind']");
      if (!kind || !(kind.value in own)) return;
      b.setAttribute("aria-pressed", own[kind.value] ? "true" : "false");
      b.classList.toggle("btn-secondary", !own[kind.value]);
    });
  }

  function position(list, item) {
    // Pinned answers first (newest pin on top), then the rest oldest first.
    if (item.hasAttribute("data-pinned")) {
      list.prepend(item);
      return;
    }
    var pinned = list.querySelectorAll(":scope > [data-pinned]");
    if (item.parentNode === list && pinned.length && item.compareDocumentPosition(pinned[pinned.length - 1]) & Node.DOCUMENT_POSITION_FOLLOWING) {
      pinned[pinned.length - 1].after(item);
    } else if (item.parentNode !== list) {
      list.append(item);
    }
  }

  function apply(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var added = 0;
    Array.prototype.slice.call(template.content.children).forEach(function (item) {
      if (item.id && place(item)) added += 1;
      if (window.htmx && item.isConnected) window.htmx.process(item);
    });
    if (added) announce(added === 1 ? "1 new answer." : added + " new answers.");
  }

  function schedule(delay) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(poll, delay);
  }

  function poll() {
    if (busy) return schedule(every);
    busy = true;
    fetch(url + "?since=" + encodeURIComponent(since), {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    })
      .then(function (response) {
        if (response.status === 403 || response.status === 404) {
          stopped = true;
          return null;
        }
        if (!response.ok) return null;
        since = response.headers.get("X-Seq") || since;
        if (response.headers.get("X-Conversation-Status") === "closed") closed();
        return response.status === 200 ? response.text() : null;
      })
      .then(function (html) {
        if (html) apply(html);
      })
      .catch(function () {
        /* offline for a moment: try again on the next tick */
      })
      .finally(function () {
        busy = false;
        schedule(every);
      });
  }

  function closed() {
    stopped = true;
    announce("This conversation has closed. Reload the page to see the summary.");
  }

  var source = null;

  function listen() {
    source = new EventSource(streamUrl + "?since=" + encodeURIComponent(since));
    source.onmessage = function (event) {
      since = event.lastEventId || since;
      apply(event.data);
    };
    source.addEventListener("status", function (event) {
      if (event.data === "closed") {
        source.close();
        closed();
      }
    });
    source.onerror = function () {
      // The browser reconnects by itself after a dropped stream (with the last event's
      // id). A refused stream (no place left, signed out) is closed for good: poll.
      if (source.readyState === EventSource.CLOSED && !stopped) {
        source = null;
        schedule(0);
      }
    };
  }

  // After our own post, pin or hide: a stream brings it within moments; a poll asks now.
  document.body.addEventListener("conversation-changed", function () {
    if (!source) schedule(0);
  });
  if (window.EventSource && streamUrl) {
    listen();
  } else {
    schedule(every);
  }
})();
