"""The 2-D lab: toy datasets, tiny models trained live, their samplers and metrics, and the reports the tab shows."""
