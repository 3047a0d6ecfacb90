# A relative next step ("tomorrow", "in a week") that fell on a weekend was moved to Monday.
touch-due-moved = ({ $asked } → { $due })
