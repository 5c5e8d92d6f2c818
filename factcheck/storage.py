"""Static files storage for production."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files whose ES module imports name the hashed files too.

    Without the rewrite, `import ... from "./api.js"` in a hashed module loads the unhashed
    api.js, which a browser may keep from an earlier release: one page would then run
    modules of two releases together.
    """

    support_js_module_import_aggregation = True
