calls --db @DB@ --since yesterday
