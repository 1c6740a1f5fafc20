-- Metabase tile "Spend so far this month" (Number). View: spend_this_month.
select spend_usd, requests, month
from spend_this_month
