// "Add a row" for the formsets of the working-day pages: clone the empty form, renumber it.
document.querySelectorAll("[data-formset]").forEach((box) => {
  const prefix = box.dataset.formset;
  const total = box.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
  const template = box.querySelector("template[data-empty-row]");
  const rows = box.querySelector("[data-rows]");
  box.querySelector("[data-add-row]")?.addEventListener("click", () => {
    const index = parseInt(total.value, 10);
    const html = template.innerHTML.replaceAll("__prefix__", String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    rows.lastElementChild?.querySelector("input")?.focus();
  });
});
