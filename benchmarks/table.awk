# Markdown table of results.tsv: the latest row per (size, phase), then t(1M)/t(100k) and heap(1M)/heap(100k).
# Columns: 1 size 2 phase 3 job_wall 4 floor_wall 5 wall_ratio 6 job_cpu 7 floor_cpu 8 cpu_ratio 9 job_heap
# 10 floor_heap 11 job_live 12 floor_live 13 tmp_peak 14 left 15 rows 16 floor_rows 17 load 18 job_internal
# 19 compaction 20 job_deopts 21 floor_deopts 22 job_server_cpu 23 floor_server_cpu 24 stamp
NR == 1 { next }
{ key = $1 FS $2; line[key] = $0; if (!(key in seen)) { order[++n] = key; seen[key] = 1 } }
END {
    print "| size | phase | job wall (s) | floor wall (s) | wall ratio | job CPU (s) | floor CPU (s) | CPU ratio | of which H2 compaction (s wall) | heap after GC, job / floor (MB) | live heap after full GC, job / floor (MB) | tmp peak (MB) | temp files left | rows job / floor | load (1 min) at job / floor start | deoptimizations job / floor | database server CPU job / floor (s) |"
    print "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    for (i = 1; i <= n; i++) {
        split(line[order[i]], f, FS)
        k = f[1] FS f[2]; wall[k] = f[3]; cpu[k] = f[6]; heap[k] = f[9]; live[k] = f[11]
        printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s | %s / %s | %s | %s | %s / %s | %s | %s / %s | %s / %s |\n", f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[19], f[9], f[10], f[11], f[12], f[13], f[14], f[15], f[16], f[17], f[20], f[21], f[22], f[23]
    }
    for (p = 1; p <= 2; p++) {
        phase = p == 1 ? "export" : "import"
        a = "100000" FS phase; b = "1000000" FS phase
        if (wall[a] > 0 && wall[b] > 0)
            printf "\n%s: t(1M)/t(100k) wall %.1f, CPU %.1f; heap(1M)/heap(100k) after GC %.2f, live after full GC %s / %s\n", phase, wall[b] / wall[a], cpu[b] / cpu[a], heap[b] / heap[a], live[b], live[a]
    }
}
