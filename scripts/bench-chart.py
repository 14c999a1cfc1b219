#!/usr/bin/env python3
"""Draws docs/BENCHMARKS.md's chart from compare runs: deliveries/s and server CPU per delivery for each scenario,
wsc against nchan (medians of the runs), with the kernel's floor for one and for four frames per write.

Usage: scripts/bench-chart.py OUT.svg COMPARE_DIR... [--floor LABEL=MICROSECONDS]...
  COMPARE_DIR: a directory compare.sh wrote ($BENCH_RUN_DIR/compare/<scenario>-<time>, with nchan-K/ and target-K/);
  scenarios without deliveries (c0) are left out. --floor draws a line on the CPU panel, e.g. "1 frame/write=6.17"
  (from the kit's floor/floor.c). Needs gnuplot (Debian: apt-get install gnuplot-nox).
"""
import glob
import json
import os
import statistics
import subprocess
import sys
import tempfile


def runs(directory, side):
    """The loadgen results of one side (nchan or target) of a compare directory."""
    found = []
    for path in sorted(glob.glob(os.path.join(directory, side + '-*', '*.json'))):
        with open(path) as f:
            result = json.load(f)
        if result.get('tool') != 'wrk' and 'delivery' in result and '-noisy' not in path:
            found.append(result)
    return found


def medians(results):
    return (statistics.median(r['delivery']['rate_per_s'] for r in results) / 1000,
            statistics.median(r['cpu']['server_us_per_delivery'] for r in results))


def main(argv):
    floors, args = [], []
    i = 0
    while i < len(argv):
        if argv[i] == '--floor':
            label, value = argv[i + 1].rsplit('=', 1)
            floors.append((label, float(value)))
            i += 2
        else:
            args.append(argv[i])
            i += 1
    if len(args) < 2:
        sys.exit(__doc__)
    out, directories = args[0], args[1:]
    rows = []
    for directory in directories:
        nchan, wsc = runs(directory, 'nchan'), runs(directory, 'target')
        if nchan and wsc:
            scenario = os.path.basename(directory.rstrip('/')).split('-')[0]
            rows.append((scenario, *medians(wsc), *medians(nchan)))
    if not rows:
        sys.exit('bench-chart: no runs with deliveries in ' + ' '.join(directories))
    with tempfile.NamedTemporaryFile('w', suffix='.dat', delete=False) as data:
        data.write('# scenario wsc_kdeliveries_per_s wsc_us_per_delivery nchan_kdeliveries_per_s nchan_us_per_delivery\n')
        for row in rows:
            data.write('%s %.1f %.2f %.1f %.2f\n' % row)
    floor_lines = ''.join(
        'set arrow from graph 0, first %.3f to graph 1, first %.3f nohead dashtype 2 lw 2 lc rgb "#d07000"\n'
        'set label "floor, %s" at graph 0.98, first %.3f right offset 0,0.6 textcolor rgb "#d07000"\n'
        % (us, us, label, us) for label, us in floors)
    plot = f'''
set terminal svg size 900,420 font "sans,12" background "white"
set output "{out}"
set multiplot layout 1,2
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set grid ytics
set key below
set yrange [0:*]
set title "deliveries/s (thousands, higher is better)"
plot "{data.name}" using 2:xtic(1) title "wsc" lc rgb "#2a6fdb", "" using 4 title "nchan" lc rgb "#999999"
set title "server CPU per delivery (µs, lower is better)"
{floor_lines}plot "{data.name}" using 3:xtic(1) title "wsc" lc rgb "#2a6fdb", "" using 5 title "nchan" lc rgb "#999999"
unset multiplot
'''
    subprocess.run(['gnuplot'], input=plot, text=True, check=True)
    os.unlink(data.name)
    for row in rows:
        print('%-4s wsc %7.1fk/s %5.2f µs   nchan %7.1fk/s %5.2f µs' % row)


if __name__ == '__main__':
    main(sys.argv[1:])
