"""Stories: online clustering of articles into real-world stories, with labels and timelines."""
