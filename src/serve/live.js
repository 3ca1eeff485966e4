// Live reload for `dateline serve`. Injected into every HTML page by the preview server only;
// never part of the built site.
(function () {
  "use strict";
  if (window.__datelineLive || typeof EventSource === "undefined") {
    return;
  }
  window.__datelineLive = true;

  var script =
    document.currentScript ||
    document.querySelector('script[src*="__dateline/live.js"]');
  // live.js sits next to the event stream, so this works under any base path.
  var streamUrl = new URL("live", script ? script.src : location.href).href;
  var overlayId = "dateline-live-error";
  var source = null;
  // "<server>.<rebuilds>" of the last event: a state event from the same server with another
  // count means rebuilds were missed while disconnected.
  var seen = null;
  var cssRound = 0;

  function parseId(id) {
    var dot = id ? id.lastIndexOf(".") : -1;
    return dot < 0 ? null : { server: id.slice(0, dot), rebuilds: id.slice(dot + 1) };
  }

  // Returns true when the page is being reloaded.
  function track(event, isState) {
    var id = parseId(event.lastEventId);
    if (!id) {
      return false;
    }
    var missed =
      isState && seen && seen.server === id.server && seen.rebuilds !== id.rebuilds;
    seen = id;
    if (missed) {
      location.reload();
    }
    return missed;
  }

  function refreshStylesheets() {
    cssRound += 1;
    var links = document.querySelectorAll(
      "link[rel~='stylesheet' i][href]:not([data-dateline-old])"
    );
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) {
        return;
      }
      url.searchParams.set("live", String(cssRound));
      var fresh = link.cloneNode(false);
      fresh.href = url.href;
      link.setAttribute("data-dateline-old", "");
      // The old sheet stays until the new one has loaded: no flash of unstyled page.
      var done = function () {
        link.remove();
      };
      fresh.addEventListener("load", done, { once: true });
      fresh.addEventListener("error", done, { once: true });
      link.after(fresh);
    });
  }

  function removeOverlay() {
    var overlay = document.getElementById(overlayId);
    if (overlay) {
      overlay.remove();
    }
  }

  function showOverlay(message) {
    removeOverlay();
    var overlay = document.createElement("div");
    overlay.id = overlayId;
    overlay.setAttribute("role", "alert");
    Object.assign(overlay.style, {
      position: "fixed",
      top: "0",
      left: "0",
      right: "0",
      maxHeight: "100vh",
      overflow: "auto",
      boxSizing: "border-box",
      zIndex: "2147483647",
      margin: "0",
      padding: "1rem 1.25rem",
      background: "#111",
      color: "#fff",
      borderBottom: "4px solid #ff5555",
      font: "14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
      textAlign: "left",
      boxShadow: "0 4px 16px rgba(0, 0, 0, 0.5)",
    });

    var heading = document.createElement("h2");
    heading.textContent = "Build failed \u2014 showing the last good site";
    Object.assign(heading.style, {
      margin: "0 0 0.75rem",
      paddingRight: "5rem",
      font: "bold 16px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
      color: "#ff8080",
    });

    var text = document.createElement("pre");
    text.textContent = message;
    Object.assign(text.style, {
      margin: "0",
      font: "inherit",
      color: "#fff",
      background: "transparent",
      whiteSpace: "pre-wrap",
      overflowWrap: "anywhere",
    });

    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    Object.assign(close.style, {
      position: "absolute",
      top: "0.75rem",
      right: "1rem",
      padding: "0.2rem 0.6rem",
      font: "inherit",
      color: "#fff",
      background: "#333",
      border: "1px solid #888",
      borderRadius: "3px",
      cursor: "pointer",
    });
    close.addEventListener("click", removeOverlay);

    overlay.append(heading, text, close);
    (document.body || document.documentElement).append(overlay);
  }

  function onError(event) {
    // EventSource uses the same name for connection errors, which carry no data; it
    // reconnects by itself.
    if (typeof event.data !== "string" || track(event, true)) {
      return;
    }
    var message = event.data;
    try {
      message = JSON.parse(event.data).message;
    } catch (ignored) {
      // Not JSON: shown as it came.
    }
    showOverlay(String(message));
  }

  var handlers = {
    reload: function (event) {
      track(event, false);
      location.reload();
    },
    css: function (event) {
      if (!track(event, false)) {
        refreshStylesheets();
      }
    },
    ok: function (event) {
      if (!track(event, true)) {
        removeOverlay();
      }
    },
    error: onError,
  };

  function connect() {
    if (source) {
      return;
    }
    source = new EventSource(streamUrl);
    Object.keys(handlers).forEach(function (name) {
      source.addEventListener(name, function (event) {
        handlers[name](event);
        // A page loaded in a background tab connects only to learn which build it shows.
        if (document.visibilityState === "hidden") {
          disconnect();
        }
      });
    });
  }

  function disconnect() {
    if (source) {
      source.close();
      source = null;
    }
  }

  // Hidden tabs let go of their connection (browsers allow only a few per server over
  // HTTP/1.1) and catch up when shown again.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      disconnect();
    } else {
      connect();
    }
  });
  window.addEventListener("pagehide", disconnect);
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.visibilityState !== "hidden") {
      connect();
    }
  });

  connect();
})();
