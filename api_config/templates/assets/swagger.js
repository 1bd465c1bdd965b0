// dothi: starts Swagger UI on /openapi?f=html (was an inline script in pygeoapi's template).
(function () {
  "use strict";
  var element = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: element.dataset.url,
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,  // no badge from validator.swagger.io (a third party)
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "StandaloneLayout"
  });
})();
