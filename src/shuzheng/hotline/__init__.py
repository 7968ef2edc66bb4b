"""The 12345 citizen hotline (issue 15): one intake for every channel, Open311 GeoReport v2,
routing by the duty map (权责清单), deadlines in working days, replies and callbacks."""
