module example.com/shardmod

go 1.26
