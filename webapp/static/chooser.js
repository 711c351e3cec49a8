// Searchable choosers (templates/shared/chooser.html): typing in the search field asks the
// board for at most twenty matches and shows them as checkboxes or radios beside those already
// chosen; the status line (a live region) says what was found. Without this script the search
// button posts the form and the page comes back with the same options.
// The term is posted, never put in a URL: it may be a name.
(function () {
  "use strict";
  var WAIT_MS = 250; // after the last key, before asking
  var LEAST = 2; // characters before a search is worth asking

  function optionElement(fieldset, option) {
    var name = fieldset.dataset.chooserName;
    var id = name + "-" + option.id;
    var box = document.createElement("div");
    box.className = "form-check";
    box.dataset.chooserOption = "found";
    var input = document.createElement("input");
    input.className = "form-check-input";
    input.type = fieldset.dataset.chooserType;
    input.name = name;
    input.id = id;
    input.value = option.id;
    var label = document.createElement("label");
    label.className = "form-check-label";
    label.htmlFor = id;
    label.appendChild(document.createTextNode(option.label + " "));
    var detail = document.createElement("span");
    detail.className = "small text-body-secondary";
    detail.textContent = option.detail;
    label.appendChild(detail);
    box.appendChild(input);
    box.appendChild(label);
    return box;
  }

  // Found options nobody chose and the new search did not find again give way to the new
  // ones; those chosen, found again (kept as they are, focus and all: a tick while a search
  // is answered stays), or there from the start (the friends already named) stay.
  function show(fieldset, results) {
    var list = fieldset.querySelector("[data-chooser-options]");
    var found = {};
    results.forEach(function (option) {
      found[option.id] = true;
    });
    list.querySelectorAll("[data-chooser-option=found]").forEach(function (box) {
      var input = box.querySelector("input");
      if (!input.checked && !found[input.value]) {
        box.remove();
      }
    });
    var present = {};
    list.querySelectorAll("input").forEach(function (input) {
      present[input.value] = true;
    });
    results.forEach(function (option) {
      if (!present[option.id]) {
        list.appendChild(optionElement(fieldset, option));
      }
    });
  }

  function setUp(form) {
    var field = form.querySelector("[data-chooser-input]");
    var status = form.querySelector("[data-chooser-status]");
    var fieldset = form.querySelector("fieldset[data-chooser-name]");
    var csrf = form.querySelector("input[name=csrf_token]");
    if (!field || !status || !fieldset) {
      return;
    }
    var asked = 0;
    var timer = null;

    function search() {
      window.clearTimeout(timer);
      var term = field.value.trim();
      if (term.length < LEAST) {
        show(fieldset, []);
        status.textContent = "";
        return;
      }
      var body = new FormData();
      body.append(field.name, term);
      if (csrf) {
        body.append("csrf_token", csrf.value);
      }
      var ticket = ++asked;
      fetch(form.dataset.chooser, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.json();
        })
        .then(function (answer) {
          if (ticket === asked) {
            show(fieldset, answer.results || []);
            status.textContent = answer.message || "";
          }
        })
        .catch(function () {
          if (ticket === asked) {
            status.textContent = status.dataset.chooserFailed || "";
          }
        });
    }

    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, WAIT_MS);
    });
    // Enter in the field searches at once; it never sends the form.
    field.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        search();
      }
    });
    var button = form.querySelector("button[name=action][value=search]");
    if (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        search();
      });
    }
  }

  document.querySelectorAll("form[data-chooser]").forEach(setUp);
}());
