"""Engagement after the purchase (issue 20): each subpackage is its own Django app.

engagement.lifecycle: lifecycle e-mails and NPS/CSAT surveys. engagement.play: badges, seasonal
challenges and support that teaches. Above referrals (points go through its ledger), below insights.
"""
