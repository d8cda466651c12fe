// The API reference page: swagger-ui (served locally from /docs/vendor/) on /v1/openapi.json.
// No inline script anywhere: the Content-Security-Policy allows scripts from this origin only.
'use strict';

(function () {
  const status = document.getElementById('docs-status');

  function readCookie(name) {
    for (const part of document.cookie.split(';')) {
      const [key, ...rest] = part.trim().split('=');
      if (key === name) {
        return decodeURIComponent(rest.join('='));
      }
    }
    return '';
  }

  // "Try it out" from a browser signed in to the portal rides on its session cookie; the
  // server then wants the CSRF cookie's value echoed on every request other than GET.
  function addCsrfHeader(request) {
    const method = (request.method || 'GET').toUpperCase();
    const csrf = readCookie('__Host-confide-csrf');
    if (method !== 'GET' && method !== 'HEAD' && csrf && !request.headers['X-CSRF-Token']) {
      request.headers['X-CSRF-Token'] = csrf;
    }
    return request;
  }

  async function start() {
    if (typeof window.SwaggerUIBundle !== 'function') {
      throw new Error('the swagger-ui files are missing (run npm ci --prefix web)');
    }
    const response = await fetch('/v1/openapi.json', { credentials: 'same-origin' });
    if (!response.ok) {
      throw new Error(`/v1/openapi.json answered ${response.status}`);
    }
    const spec = await response.json();
    // The document names the development host; "Try it out" must call the server it came from.
    spec.host = window.location.host;
    spec.schemes = [window.location.protocol.replace(':', '')];
    window.SwaggerUIBundle({
      spec,
      domNode: document.getElementById('swagger-ui'),
      presets: [window.SwaggerUIBundle.presets.apis],
      layout: 'BaseLayout',
      deepLinking: true,
      docExpansion: 'none',
      defaultModelsExpandDepth: 0,
      filter: true,
      // No calls to validator.swagger.io: nothing leaves this origin.
      validatorUrl: null,
      requestInterceptor: addCsrfHeader,
    });
    status.textContent = '';
  }

  start().catch((error) => {
    status.classList.add('error');
    status.textContent = `The API reference could not be loaded: ${error.message}.`;
  });
})();
