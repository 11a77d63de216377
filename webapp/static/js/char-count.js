// A counter under each text field that has a limit (data-max-length, set by
// webapp/forms.py show_limits): "1,234 of 4,000 characters". Text over the
// limit is never cut; the counter turns red and the server refuses it with a message.
(function () {
  "use strict";
  var format = new Intl.NumberFormat("en-GB");

  function attach(field) {
    var limit = parseInt(field.getAttribute("data-max-length"), 10);
    if (!limit) return;
    var counter = document.createElement("div");
    counter.className = "form-text char-count";
    counter.setAttribute("aria-live", "polite");
    counter.id = (field.id || field.name) + "-count";
    field.setAttribute("aria-describedby", ((field.getAttribute("aria-describedby") || "") + " " + counter.id).trim());
    function update() {
      var length = field.value.length;
      counter.textContent = format.format(length) + " of " + format.format(limit) + " characters" +
        (length > limit ? ": " + format.format(length - limit) + " too many" : "");
      counter.classList.toggle("text-danger", length > limit);
    }
    field.addEventListener("input", update);
    field.insertAdjacentElement("afterend", counter);
    update();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-max-length]"), attach);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
