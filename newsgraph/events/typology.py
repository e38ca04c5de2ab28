"""The SENTiVENT event typology: the 18 types, and the role names newsgraph gives their main participant."""
from __future__ import annotations

TYPES = (
    "CSR/Brand", "Deal", "Dividend", "Employment", "Expense", "Facility", "FinancialReport", "Financing",
    "Investment", "Legal", "Macroeconomics", "Merger/Acquisition", "Product/Service", "Profit/Loss", "Rating",
    "Revenue", "SalesVolume", "SecurityValue",
)

# The typology's subtypes: an event filter may name one as "Type.Subtype" (e.g. "Rating.Upgrade").
SUBTYPES = {
    "Dividend": ("Payment", "YieldRaise", "YieldReduction", "YieldStable"),
    "Employment": ("Compensation", "End", "Start"),
    "Expense": ("Decrease_Expense", "Increase_Expense", "Stable_Expense"),
    "Facility": ("Close", "Open"),
    "FinancialReport": ("Beat", "Miss", "Stable_FinancialReport"),
    "Legal": ("Acquit", "Appeal", "Conviction/Settlement", "Proceeding"),
    "Product/Service": ("Cancellation/Recall", "Launch", "Trial"),
    "Profit/Loss": ("Decrease_Profit/Loss", "Increase_Profit/Loss", "Stable_Profit/Loss"),
    "Rating": ("BuyOutperform", "Credit/Debt", "Downgrade", "Hold", "Maintain", "PriceTarget", "SellUnderperform",
               "Upgrade"),
    "Revenue": ("Decrease_Revenue", "Increase_Revenue", "Stable_Revenue"),
    "SalesVolume": ("Decrease_SalesVolume", "Increase_SalesVolume", "Stable_SalesVolume"),
    "SecurityValue": ("Decrease_SecurityValue", "Increase_SecurityValue", "Stable_SecurityValue"),
}

# The typology's first participant role of each type: the company the event is about.
PARTICIPANT_ROLE = {
    "CSR/Brand": "Company_CSR/Brand", "Deal": "Partner", "Dividend": "Company_Dividend", "Employment": "Employer",
    "Expense": "Company_Expense", "Facility": "Company_Facility", "FinancialReport": "Reportee",
    "Financing": "Financee", "Investment": "Investor", "Legal": "Defendant", "Macroeconomics": "AffectedCompany",
    "Merger/Acquisition": "Acquirer", "Product/Service": "Producer", "Profit/Loss": "Profiteer",
    "Rating": "Security_Rating", "Revenue": "Company_Revenue", "SalesVolume": "Seller",
    "SecurityValue": "Security_SecurityValue",
}

# Types whose trigger nouns name a measure ("net profit", "home prices", "its costs") rather than an occurrence.
FIGURE_TYPES = frozenset({"Revenue", "Profit/Loss", "SalesVolume", "Expense", "Macroeconomics", "SecurityValue",
                          "Dividend", "Rating", "FinancialReport"})

# Role for the object noun phrase of a verbal trigger, where the type has one.
OBJECT_ROLE = {"Product/Service": "ProductService", "Facility": "Facility", "SalesVolume": "GoodsService",
               "Merger/Acquisition": "Target", "Deal": "Goal", "Investment": "Investee"}

# Events below this confidence (confidence.py) are listed only on request (--all, ?min_confidence=0); chosen on the
# tune half of eval/events_real (see eval/RESULTS.md, "Events a user can trust").
DEFAULT_MIN_CONFIDENCE = 0.4

MODALITIES = ("certain", "planned", "possible", "reported")
POLARITIES = ("positive", "negated")
ATTRIBUTIONS = ("named", "anonymous", "none")


def sentivent_modality(modality: str) -> str:
    """SENTiVENT's two values: `other` covers planned, possible and reported."""
    return "certain" if modality == "certain" else "other"
