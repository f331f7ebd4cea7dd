"""IRIs the tests name, in one place (see the README's IRI policy)."""

ID = "https://w3id.org/newborn-kg/id/"
HENAN = "region/410000"
CARD_PATH = f"{HENAN}/v1/service/newborn-medical-insurance-card"
CARD = f"{ID}{CARD_PATH}/"  # steps, checklists and requirements of the card service live under it
