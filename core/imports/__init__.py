"""M9: clients imported from spreadsheets (CSV, XLSX)."""
