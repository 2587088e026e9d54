// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  function currentValues(form, name) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name === name && ((el.type !== "radio" && el.type !== "checkbox") || el.checked) && el.value !== "";
    }).map(function (el) { return el.value; });
  }

  function holds(condition, values) {
    var op = condition.operator, value = condition.value;
    if (op === "answered") { return values.length > 0; }
    if (op === "not_answered") { return values.length === 0; }
    if (values.length === 0) { return null; } // the question it depends on is on another page
    if (op === "equals") { return values.indexOf(value) !== -1; }
    if (op === "not_equals") { return values.indexOf(value) === -1; }
    if (op === "in") { return values.some(function (v) { return value.indexOf(v) !== -1; }); }
    if (op === "not_in") { return !values.some(function (v) { return value.indexOf(v) !== -1; }); }
    var n = parseFloat(values[0]);
    return op === "gte" ? n >= value : n <= value;
  }

  function updateConditions(form) {
    form.querySelectorAll("[data-visible-if]").forEach(function (block) {
      var condition = JSON.parse(block.getAttribute("data-visible-if"));
      var onPage = form.querySelector("[name='" + condition.question + "']");
      if (!onPage) { return; }
      var show = holds(condition, currentValues(form, condition.question));
      block.hidden = show === false || show === null;
    });
  }

  function updateCounter(area) {
    var counter = document.getElementById(area.getAttribute("data-counter"));
    if (!counter) { return; }
    counter.textContent = counter.getAttribute("data-template").replace("{used}", area.value.length);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
    document.querySelectorAll("form").forEach(function (form) {
      updateConditions(form);
      form.addEventListener("change", function () { updateConditions(form); });
    });
    document.querySelectorAll("textarea[data-counter]").forEach(function (area) {
      var counter = document.getElementById(area.getAttribute("data-counter"));
      if (counter) { counter.setAttribute("aria-live", "polite"); }
      updateCounter(area);
      area.addEventListener("input", function () { updateCounter(area); });
    });
  });
})();
