// Entity-type legend on the article page: clicking a type hides or shows its highlights.
// Without JS every highlight simply stays on.
document.addEventListener("DOMContentLoaded", function () {
  var article = document.querySelector(".article");
  if (!article) return;
  article.querySelectorAll(".legend-item").forEach(function (button) {
    button.addEventListener("click", function () {
      var on = button.getAttribute("aria-pressed") !== "true";
      button.setAttribute("aria-pressed", on ? "true" : "false");
      article.classList.toggle("hide-" + button.dataset.label.replace(/[^A-Za-z0-9]/g, ""), !on);
    });
  });
});
