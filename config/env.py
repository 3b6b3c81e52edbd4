"""The one environment reader, and the data directory for zero-install development."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
_dotenv = BASE_DIR / ".env"
if _dotenv.exists():
    environ.Env.read_env(str(_dotenv))

DATA_DIR = Path(env.str("DATA_DIR", default=str(BASE_DIR / ".data")))


def dev_field_key() -> str:
    from cryptography.fernet import Fernet

    path = DATA_DIR / "field-encryption.key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(Fernet.generate_key().decode())
        path.chmod(0o600)
    return path.read_text().strip()
