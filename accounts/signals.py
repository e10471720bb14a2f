from django.dispatch import Signal

# Sent by ``manage.py demo`` once the demo establishments, classes and pupils exist, so that
# other apps (PRONOTE) add their own demo data without accounts knowing about them.
# Arguments: establishments (list), pupils (list of users).
demo_data_ready = Signal()
