"""Sango: a platform for Japanese municipal postpartum care programmes (産後ケア事業)."""
