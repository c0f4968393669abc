"""Quality checks: findings about values a careful reader would doubt, and their DQV graph."""
