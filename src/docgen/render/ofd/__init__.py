"""The OFD (GB/T 33190-2016): paints the laid-out document as OFD pages, in millimetres."""
