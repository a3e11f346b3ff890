"""Where and how code runs: device, threads, seeding, timing, server memory. Imports nothing of the package."""
