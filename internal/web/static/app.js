// 执廉 — small progressive enhancements. No inline handlers (CSP: script-src 'self').
(function () {
  "use strict";

  function dismiss(el) {
    if (!el || !el.parentNode) return;
    el.classList.add("is-hiding");
    setTimeout(function () {
      if (el.parentNode) el.parentNode.removeChild(el);
    }, 450);
  }

  document.addEventListener("DOMContentLoaded", function () {
    // A form shown again after a failed post: the address bar shows the
    // form's own URL, so that a reload asks for the form, not the post.
    var formURL = document.body.getAttribute("data-form-url");
    if (formURL && window.history && history.replaceState) {
      history.replaceState(null, "", formURL);
    }
    // Move to the first field marked wrong.
    var bad = document.querySelector("[aria-invalid=true]");
    if (bad) bad.focus();

    // Close buttons on flash messages.
    document.querySelectorAll(".flash .flash-close").forEach(function (btn) {
      btn.addEventListener("click", function () {
        dismiss(btn.closest(".flash"));
      });
    });

    // Success messages disappear on their own; errors stay until closed.
    document.querySelectorAll(".flash[data-autodismiss]").forEach(function (el) {
      setTimeout(function () { dismiss(el); }, 6000);
    });
  });

  // Confirmation for forms marked data-confirm="…", and protection against
  // double submission. Capture phase so it runs before anything else.
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!(form instanceof HTMLFormElement)) return;
    var msg = form.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      ev.preventDefault();
      return;
    }
    if (form.method.toLowerCase() === "post") {
      if (form.dataset.submitting === "1") {
        ev.preventDefault();
        return;
      }
      form.dataset.submitting = "1";
      // Disable after the submission has been built so button values are still sent.
      setTimeout(function () {
        form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (b) {
          b.disabled = true;
        });
      }, 0);
      // If the user comes back (bfcache) or the request is slow, re-enable.
      setTimeout(function () {
        delete form.dataset.submitting;
        form.querySelectorAll("button:disabled").forEach(function (b) { b.disabled = false; });
      }, 8000);
    }
  }, true);

  window.addEventListener("pageshow", function (ev) {
    if (!ev.persisted) return;
    document.querySelectorAll("form[data-submitting]").forEach(function (form) {
      delete form.dataset.submitting;
      form.querySelectorAll("button:disabled").forEach(function (b) { b.disabled = false; });
    });
  });
})();
