"""Who may compute or write through the API: API keys (:mod:`.keys`), the request's identity
(:mod:`.identity`), the WSGI authentication middleware (:mod:`.auth`), job ownership
(:mod:`.jobs`) and the CORS policy (:mod:`.cors`)."""
