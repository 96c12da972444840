"""Files written atomically, and files from anyone read within bounds."""
