module example.com/relpos

go 1.26.0
