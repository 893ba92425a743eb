#!/usr/bin/env bash
# Builds the seed corpora of the fuzz targets in fuzz/corpus/<target>/ from the golden vectors and
# the sample town (nothing is committed but this script). Targets that read plain bytes take a
# first "selector" byte (chunk sizes, strict mode, which reader): each seed is written with a few.
set -euo pipefail
cd "$(dirname "$0")"
root=..
golden=$root/core/tests/golden
sample=$root/examples/cli/sample
rm -rf corpus
mkdir -p corpus/{dossier_records,dossier_parallel,csv_differential,table_readers,counts_json,plan_json,units_tree,session_api,portal_responses,partial_load}

# seed TARGET NAME SELECTOR FILE: the file prefixed with one selector byte.
seed() {
    { printf "\\$(printf '%03o' "$3")"; cat "$4"; } > "corpus/$1/$2-$3"
}
n=0
for f in "$sample"/dossiers.csv "$golden"/score766/*/dossiers.csv; do
    n=$((n + 1))
    # Keep seeds small: the first 60 lines (libFuzzer's inputs are short anyway).
    head -n 60 "$f" > "corpus/tmp.csv"
    for s in 0 1 6 77 200; do
        seed dossier_records "d$n" "$s" corpus/tmp.csv
        seed dossier_parallel "d$n" "$s" corpus/tmp.csv
    done
    # The same rows with CR line ends, and with a stray quote.
    tr '\n' '\r' < corpus/tmp.csv > corpus/tmp-cr.csv
    seed dossier_records "d$n-cr" 2 corpus/tmp-cr.csv
    seed dossier_parallel "d$n-cr" 4 corpus/tmp-cr.csv
    sed '3s/,/,"/' corpus/tmp.csv > corpus/tmp-q.csv
    seed dossier_records "d$n-quote" 3 corpus/tmp-q.csv
    seed dossier_parallel "d$n-quote" 9 corpus/tmp-q.csv
done
# table_readers: selector bits 1-2 pick the reader (0 units, 1 procedures, 2 feedback, 3 observations).
n=0
for f in "$sample"/units.csv "$golden"/*/*/units.csv; do
    n=$((n + 1)); head -n 80 "$f" > corpus/tmp.csv; seed table_readers "u$n" 0 corpus/tmp.csv; seed table_readers "u$n" 1 corpus/tmp.csv
done
for f in "$sample"/procedures.csv "$golden"/score766/*/procedures.csv; do
    n=$((n + 1)); head -n 80 "$f" > corpus/tmp.csv; seed table_readers "p$n" 2 corpus/tmp.csv
done
for f in "$sample"/feedback.csv "$golden"/score766/*/feedback.csv; do
    n=$((n + 1)); head -n 80 "$f" > corpus/tmp.csv; seed table_readers "f$n" 4 corpus/tmp.csv
done
for f in "$sample"/observations.csv "$golden"/evaluate/*/observations.csv; do
    n=$((n + 1)); head -n 80 "$f" > corpus/tmp.csv; seed table_readers "o$n" 6 corpus/tmp.csv; seed table_readers "o$n" 7 corpus/tmp.csv
done
n=0
for f in "$sample"/counts.json "$golden"/score766/*/counts.json; do
    n=$((n + 1)); cp "$f" "corpus/counts_json/c$n.json"
done
# plan_json: the built-in plan, printed by the CLI when it is built, else a small hand-written one.
if plan=$(cargo run --quiet --manifest-path "$root/Cargo.toml" -p chiso-cli -- plan 2>/dev/null); then
    printf '%s' "$plan" > corpus/plan_json/builtin.json
fi
printf '{"name":"p","indicators":[{"id":"x","kind":"ratio"}],"targets":[]}' > corpus/plan_json/small.json
# Structured targets (csv_differential, units_tree) start from a few byte strings; libFuzzer
# grows them.
printf 'a,b\nc"d\r\n\x00\x01\x02' > corpus/csv_differential/s1
head -c 512 "$sample"/units.csv > corpus/units_tree/s1
# session_api: its files come from the samples built into the target, so any bytes make a sequence
# of calls; a few of different lengths and shapes to start from.
head -c 256 "$sample"/dossiers.csv > corpus/session_api/s1
head -c 1024 "$sample"/units.csv > corpus/session_api/s2
printf '\x01\x02\x00\x03\x05\x01\x00\x00\x10\x07\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b' > corpus/session_api/s3
for i in 0 1 2 3 4 5 6 7 8 9 10; do printf "\\$(printf '%03o' $((i * 23 % 256)))"; done > corpus/session_api/s4
head -c 600 "$sample"/counts.json > corpus/session_api/s5
# portal_responses: the selector byte picks the endpoint (0 transparency, 1 dvc-progress-tree,
# 2 provide-online-tree, 3 dossier-digitized, 4 formality-online-payment-tree, 5 handling-satisfaction);
# small responses of both shapes, cut from the captured ones' forms.
printf '\000{"code":"OK","data":{"overview":{"departmentId":"p","departmentType":"PROVINCE","totalScore":1.96,"averageScore":1.96,"metrics":[{"code":"PUBLIC_CONTENT_FULL","numerator":87,"denominator":89,"ratio":97.75,"score":1.96,"maxScore":2},{"code":"DOSSIER_SYNC","numerator":0,"denominator":0,"ratio":null,"score":null,"maxScore":6,"dataQualityStatus":"NO_NATIONAL_REPORT_DATA"}]},"evaluation":[{"departmentId":"c","departmentLevel":"COMMUNE","totalScore":1.96,"metrics":[{"code":"PUBLIC_CONTENT_FULL","numerator":87,"denominator":89,"score":1.96,"maxScore":2}]}]}}' > corpus/portal_responses/transparency
printf '\003{"data":{"overview":{"departmentId":"p","totalScore":2,"metrics":[{"code":"ELECTRONIC_CERTIFIED_COPY","numerator":null,"denominator":null,"ratio":100,"score":2,"maxScore":2}]},"evaluation":[]}}' > corpus/portal_responses/digitized
printf '\001{"data":{"parent":{"departmentId":"p","totalReceived":588,"totalOnTime":486,"totalScore":16.53},"children":[{"departmentId":"c","level":"COMMUNE","totalReceived":0,"totalOnTime":0,"totalOverdue":0,"score":0}]}}' > corpus/portal_responses/progress
printf '\002{"data":{"parent":{"departmentId":"p","totalScore":8.83,"authorityCount":56,"partialCount":31,"fullCount":21,"onlineDossierCount":406,"onlineServiceTotal":1968,"channelOnlineSum":150956,"channelTotalSum":152595},"children":[{"departmentId":"c","level":"COMMUNE","totalScore":6.48}]}}' > corpus/portal_responses/online
printf '\004{"data":{"parent":{"departmentId":"p","totalScore":5.19,"totalDossierOnlinePaymentSuccess":745,"totalDossierFinancialObligation":1133,"totalDossierOnlineFormalityPaymentSuccess":9,"totalFeeDossierFormality":7,"totalFeeFormality":32},"children":[]}}' > corpus/portal_responses/payment
printf '\005{"data":{"overview":{"departmentId":"p","totalScore":12,"metrics":[{"code":"PETITION_PROCESSING_ON_TIME","numerator":0,"denominator":0,"ratio":0,"score":6,"maxScore":6},{"code":"PETITION_CLASSIFICATION_TTHC","numerator":1,"denominator":2,"score":null,"maxScore":0}]},"evaluation":[]}}' > corpus/portal_responses/satisfaction
rm -f corpus/tmp*.csv
echo "seeds: $(find corpus -type f | wc -l) files in $(ls corpus | wc -l) corpora"
