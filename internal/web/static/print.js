// The print pages' 打印 button: the browser's print dialog (a script file,
// as the pages' Content-Security-Policy allows no inline handlers).
document.querySelectorAll("[data-print]").forEach(function (b) {
  b.addEventListener("click", function () { window.print(); });
});
