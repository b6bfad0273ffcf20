// Filters a category's integration list as the customer types (the server-side ?q= search works without script).
document.querySelectorAll("input[data-filter]").forEach((input) => {
  const list = document.getElementById(input.dataset.filter);
  input.addEventListener("input", () => {
    const term = input.value.trim().toLowerCase();
    list.querySelectorAll("li").forEach((item) => {
      item.hidden = term.length > 0 && !item.dataset.name.includes(term);
    });
  });
});
