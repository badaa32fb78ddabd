module example.com/passes

go 1.26.0
