# Synthetic dossiers for the score766 throughput check: `python3 score766_gen.py 2000000 > dossiers.csv`
# (also writes units.csv and procedures.csv in the current directory).
import random, sys
random.seed(7)
n = int(sys.argv[1])
units = ["tinh"] + [f"xa-{i:03d}" for i in range(100)] + [f"so-{i:02d}" for i in range(20)]
with open("units.csv","w") as f:
    f.write("id,name,parent,level\n")
    f.write("tinh,Tỉnh Phú Thọ,,province\n")
    for u in units[1:101]: f.write(f"{u},Xã {u},tinh,commune\n")
    for u in units[101:]: f.write(f"{u},Sở {u},tinh,agency\n")
procs = [f"1.{i:06d}" for i in range(1000)]
with open("procedures.csv","w") as f:
    f.write("procedure,name,field,authority_level,service_level,eligible_full,paper_result,fee,payment_integrated,citizen_applicants\n")
    for i,p in enumerate(procs):
        lvl = "commune" if i < 600 else ("agency" if i < 900 else "province")
        sl = random.choice(["full","partial","none"])
        f.write(f"{p},Thủ tục {i},land,{lvl},{sl},{random.randint(0,1)},{random.randint(0,1)},{random.randint(0,1)},{random.randint(0,1)},{random.randint(0,1)}\n")
hdr = "dossier_id,unit,procedure,received_at,due_at,finished_at,channel,supplement_requests,supplement_days,e_result,digitized,reused_data,shared_storage,citizen_data,synced,fee,paid_online,complaint,rating\n"
chans = ["online","direct","postal",""]
rat = ["","satisfied","unsatisfied"]
out = sys.stdout
out.write(hdr)
buf = []
rr = random.random; ri = random.randint
for i in range(n):
    u = units[ri(1,120)]
    p = procs[ri(0,599)] if u.startswith("xa") else procs[ri(600,999)]
    m = ri(6,8); d = ri(1,28); h = ri(0,23)
    rec = f"2025-{m:02d}-{d:02d}T{h:02d}:{ri(0,59):02d}:00+07:00"
    dd = min(28, d + ri(0,10))
    due = f"2025-{m:02d}-{dd:02d}"
    fin = "" if rr() < 0.2 else f"2025-{m:02d}-{min(28, d + ri(1,12)):02d}T{ri(0,23):02d}:00:00"
    b = [str(int(rr()<0.5)) for _ in range(9)]
    buf.append(f"HS{i:09d},{u},{p},{rec},{due},{fin},{chans[i%4]},{ri(0,2)},{'0.5' if rr()<0.1 else '0'},{','.join(b)},{rat[i%3]}\n")
    if len(buf) >= 100000:
        out.write("".join(buf)); buf = []
out.write("".join(buf))
