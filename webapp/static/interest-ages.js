// The public interest form: say, before sending, which chosen jobs the youth's age rules out.
// The server refuses such a choice all the same (webapp/services/youths.py register_interest);
// this only says it sooner. Each job's checkbox carries its ages and the sentences to show
// (data-min-age, data-max-age, data-too-young, data-too-old, "{age}" to fill in).
(function () {
  "use strict";
  var form = document.querySelector("form[data-age-hints]");
  if (!form) {
    return;
  }
  var birth = form.querySelector("#birth_date");
  var ageField = form.querySelector("#age");
  var hint = document.getElementById("jobs-age-hint");
  var jobs = form.querySelectorAll("input[name=jobs][data-min-age]");

  // Age in whole years today; a birthday today counts (as jobmatch.age_on).
  function ageOn(birthDate, today) {
    var age = today.getFullYear() - birthDate.getFullYear();
    var beforeBirthday =
      today.getMonth() < birthDate.getMonth() ||
      (today.getMonth() === birthDate.getMonth() && today.getDate() < birthDate.getDate());
    return beforeBirthday ? age - 1 : age;
  }

  function currentAge() {
    var match = birth && /^(\d{4})-(\d{2})-(\d{2})$/.exec(birth.value);
    if (match) {
      var day = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
      return ageOn(day, new Date());
    }
    var given = ageField && /^\d{1,2}$/.test(ageField.value.trim()) ? Number(ageField.value) : NaN;
    return isNaN(given) ? null : given;
  }

  // After a refused submission the server's sentences stand until the youth changes something.
  function update(event) {
    var served = document.getElementById("jobs-error");
    if (served && !event) {
      return;
    }
    if (served) {
      served.remove();
    }
    var age = currentAge();
    var sentences = [];
    jobs.forEach(function (job) {
      var ruledOut = false;
      if (age !== null && job.checked) {
        var maxAge = job.getAttribute("data-max-age");
        if (age < Number(job.getAttribute("data-min-age"))) {
          sentences.push(job.getAttribute("data-too-young").replace("{age}", String(age)));
          ruledOut = true;
        } else if (maxAge !== "" && age > Number(maxAge)) {
          sentences.push(job.getAttribute("data-too-old").replace("{age}", String(age)));
          ruledOut = true;
        }
      }
      job.classList.toggle("is-invalid", ruledOut);
    });
    hint.textContent = sentences.join(" ");
  }

  [birth, ageField].forEach(function (field) {
    if (field) {
      field.addEventListener("input", update);
      field.addEventListener("change", update);
    }
  });
  jobs.forEach(function (job) {
    job.addEventListener("change", update);
  });
  update();
})();
