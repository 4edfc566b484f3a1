"""Prints the OpenAPI document FastAPI publishes for app.py (what it serves at
/openapi.json), as JSON on stdout. `cargo xtask fastapi` generates the live test's client
from it; no server is started."""

import json
import sys

from app import app

json.dump(app.openapi(), sys.stdout, indent=2)
sys.stdout.write("\n")
