// Swagger UI over the API's own document; a script file, since the
// Content-Security-Policy allows no inline script.
(function () {
  var target = document.getElementById("api-docs");
  window.SwaggerUIBundle({ url: target.dataset.specUrl, domNode: target });
})();
