'use strict';
// oshigan's page: plain JavaScript, no libraries, talks only to the gateway's /api.
const $ = (id) => document.getElementById(id);
const key = () => localStorage.getItem('oshigan-key') || '';
$('api-key').value = key();
$('api-key').addEventListener('change', (e) => localStorage.setItem('oshigan-key', e.target.value.trim()));

function show(view) {
  document.querySelectorAll('.view').forEach((v) => v.classList.toggle('active', v.id === 'view-' + view));
  document.querySelectorAll('nav a[data-view]').forEach((a) => a.classList.toggle('active', a.dataset.view === view));
  if (view === 'gallery') regenerate();
  if (view === 'training') refreshTraining();
  if (view === 'dataset') refreshCrops();
}
window.addEventListener('hashchange', () => show(location.hash.slice(1) || 'upload'));

async function json(url, options = {}) {
  const response = await fetch(url, options);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || ('HTTP ' + response.status));
  return body;
}

// ---- upload ----
function upload(files) {
  for (const file of files) {
    const row = document.createElement('li');
    row.innerHTML = '<span class="name"></span><progress max="100" value="0"></progress><span class="result">uploading…</span>';
    row.querySelector('.name').textContent = file.name;
    $('uploads').prepend(row);
    const form = new FormData();
    form.append('files', file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/uploads');
    xhr.setRequestHeader('X-API-Key', key());
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) row.querySelector('progress').value = 100 * e.loaded / e.total; };
    xhr.onload = () => {
      const result = row.querySelector('.result');
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
      if (xhr.status !== 200) { result.textContent = body.error || ('HTTP ' + xhr.status); result.className = 'result bad'; return; }
      const stored = body.files[0];
      result.textContent = stored.duplicate ? 'uploaded before: its faces…' : 'stored, looking for faces…';
      row.querySelector('.name').textContent = stored.key;
      follow(stored.key, stored.eTag, row, 0);
    };
    xhr.send(form);
  }
}
async function follow(k, eTag, row, tries) {
  const state = await json('/api/dataset/upload?key=' + encodeURIComponent(k) + '&eTag=' + encodeURIComponent(eTag)).catch(() => ({ status: 'PENDING' }));
  if (state.status === 'PENDING' && tries < 60) { setTimeout(() => follow(k, eTag, row, tries + 1), 1000); return; }
  showOutcome(row, state);
  refreshDataset();
  refreshHistory();
}

// ---- what became of an upload: the picture with its faces boxed, the crops, or why it was refused ----
const HEADERS = () => (key() ? { 'X-API-Key': key() } : {});
async function picture(url) {
  const response = await fetch(url, { headers: HEADERS() });
  if (!response.ok) throw new Error('HTTP ' + response.status);
  return URL.createObjectURL(await response.blob());
}
function outcomeText(o) {
  if (o.status === 'CROPPED') return o.faces + (o.faces === 1 ? ' face found' : ' faces found');
  if (o.status === 'NO_FACE') return 'no face found';
  if (o.status === 'REJECTED') return 'refused: ' + o.rejectedReason;
  return 'waiting for the crop-service…';
}
function showOutcome(row, o) {
  const result = row.querySelector('.result');
  result.textContent = outcomeText(o);
  result.className = 'result ' + ({ CROPPED: 'ok', REJECTED: 'bad' }[o.status] || '');
  row.dataset.status = o.status;
  if (o.status === 'PENDING' || o.status === 'REJECTED' || row.querySelector('.outcome')) return;
  const box = document.createElement('div');
  box.className = 'outcome';
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', o.key + (o.faces ? ' with ' + o.faces + ' faces marked' : ', no face found'));
  box.appendChild(canvas);
  row.appendChild(box);
  picture('/api/dataset/images/raw?key=' + encodeURIComponent(o.key)).then((url) => {
    const img = new Image();
    img.onload = () => {
      const scale = Math.min(1, 240 / img.width, 180 / img.height);
      canvas.width = Math.round(img.width * scale); canvas.height = Math.round(img.height * scale);
      const g = canvas.getContext('2d');
      g.drawImage(img, 0, 0, canvas.width, canvas.height);
      g.strokeStyle = '#39ff88'; g.lineWidth = 2;
      for (const f of o.crops) g.strokeRect(f.x * scale, f.y * scale, f.width * scale, f.height * scale);
      canvas.dataset.boxes = o.crops.length;
      URL.revokeObjectURL(url);
    };
    img.src = url;
  }).catch(() => { canvas.dataset.boxes = 'unavailable'; });
  o.crops.forEach((f, i) => {
    const crop = document.createElement('img');
    crop.className = 'crop';
    crop.alt = 'face ' + (i + 1) + ' of ' + o.key;
    box.appendChild(crop);
    picture('/api/dataset/images/crop?key=' + encodeURIComponent(f.cropKey)).then((url) => { crop.src = url; }).catch(() => {});
  });
}

// ---- the upload history, newest first, a page at a time; refreshed while the page is open ----
let historyPage = 0;
async function refreshHistory() {
  // what people uploaded is private: it needs a key, like uploading does
  const data = await json('/api/dataset/uploads?size=10&page=' + historyPage, { headers: HEADERS() })
    .catch((e) => { $('history-page').textContent = e.message; return null; });
  if (!data) return;
  const pages = Math.max(1, Math.ceil(data.total / data.size));
  $('history-page').textContent = 'page ' + (historyPage + 1) + ' of ' + pages + ' (' + data.total + ' uploads)';
  $('newer').disabled = historyPage === 0;
  $('older').disabled = historyPage + 1 >= pages;
  const list = $('history');
  const seen = new Set();
  for (const o of data.uploads) {
    const id = o.key + '@' + o.eTag;
    seen.add(id);
    let row = [...list.children].find((li) => li.dataset.id === id);
    if (!row) {
      row = document.createElement('li');
      row.dataset.id = id;
      row.innerHTML = '<span class="name"></span><span class="result"></span>';
      row.querySelector('.name').textContent = o.key;
      list.appendChild(row);
    }
    if (row.dataset.status !== o.status) showOutcome(row, o);
  }
  [...list.children].forEach((li) => { if (!seen.has(li.dataset.id)) li.remove(); });
  const order = data.uploads.map((o) => o.key + '@' + o.eTag);
  [...list.children].sort((a, b) => order.indexOf(a.dataset.id) - order.indexOf(b.dataset.id)).forEach((li) => list.appendChild(li));
}
$('newer').addEventListener('click', () => { historyPage = Math.max(0, historyPage - 1); $('history').innerHTML = ''; refreshHistory(); });
$('older').addEventListener('click', () => { historyPage++; $('history').innerHTML = ''; refreshHistory(); });
setInterval(() => { if ($('view-upload').classList.contains('active')) refreshHistory(); }, 5000);
const drop = $('drop');
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); upload(e.dataTransfer.files); });
$('files').addEventListener('change', (e) => upload(e.target.files));
async function refreshDataset() {
  const s = await json('/api/dataset').catch(() => null);
  if (s) $('dataset').textContent = s.rawImages + ' uploads, ' + s.faces + ' faces' +
    (s.demoFaces ? ' (' + s.demoFaces + ' of them synthetic, from --demo: trained on in demo runs only)' : '') +
    (s.excludedFaces ? ' (' + s.excludedFaces + ' excluded from training)' : '') +
    Object.entries(s.rejectedByReason).map(([r, n]) => ', ' + n + ' refused (' + r + ')').join('');
}

// ---- the data set: every face, excluded from training or not ----
let cropsPage = 0;
let cropUrls = [];
async function refreshCrops() {
  const data = await json('/api/dataset/crops?size=24&page=' + cropsPage).catch((e) => { $('crops-message').textContent = e.message; return null; });
  if (!data) return;
  $('crop-counts').textContent = data.total + ' faces: ' + data.included + ' in training' +
    (data.demo ? ' (' + data.demo + ' of them synthetic, from --demo: in demo runs only)' : '') + ', ' + data.excluded + ' excluded' +
    (data.duplicates ? ', ' + data.duplicates + ' the same face as another (trained once)' : '');
  const pages = Math.max(1, Math.ceil(data.total / data.size));
  $('crops-page').textContent = 'page ' + (cropsPage + 1) + ' of ' + pages;
  $('crops-newer').disabled = cropsPage === 0;
  $('crops-older').disabled = cropsPage + 1 >= pages;
  const grid = $('crops');
  cropUrls.forEach((u) => URL.revokeObjectURL(u)); // the last page's pictures
  cropUrls = [];
  grid.innerHTML = '';
  for (const f of data.faces) {
    const cell = document.createElement('figure');
    cell.className = 'crop-cell' + (f.excluded ? ' excluded' : '');
    cell.dataset.key = f.cropKey;
    const img = document.createElement('img');
    img.alt = 'face ' + f.cropKey + (f.excluded ? ' (excluded)' : '');
    picture('/api/dataset/images/crop?key=' + encodeURIComponent(f.cropKey)).then((url) => { cropUrls.push(url); img.src = url; }).catch(() => {});
    const toggle = document.createElement('button');
    toggle.textContent = f.excluded ? 'Bring back' : 'Exclude';
    toggle.setAttribute('aria-pressed', String(f.excluded));
    toggle.onclick = () => setExcluded(f.cropKey, !f.excluded);
    const caption = document.createElement('figcaption');
    caption.appendChild(toggle);
    if (f.demo) caption.appendChild(document.createTextNode(' synthetic (--demo)'));
    if (f.duplicateOf) { cell.classList.add('duplicate'); cell.title = 'the same face as ' + f.duplicateOf + ': trained once'; caption.appendChild(document.createTextNode(' same face as another')); }
    if (f.sourceKey) { // the upload it came from (uploads need the key: fetched, then opened)
      const source = document.createElement('button');
      source.className = 'link';
      source.textContent = 'source picture';
      source.onclick = () => picture('/api/dataset/images/raw?key=' + encodeURIComponent(f.sourceKey))
        .then((url) => window.open(url, '_blank')).catch((e) => { $('crops-message').textContent = e.message; });
      caption.appendChild(source);
    }
    cell.append(img, caption);
    grid.appendChild(cell);
  }
}
async function setExcluded(cropKey, exclude) {
  $('crops-message').textContent = '';
  await json('/api/dataset/crops/exclusion?key=' + encodeURIComponent(cropKey), { method: exclude ? 'PUT' : 'DELETE', headers: HEADERS() })
    .then(() => { $('crops-message').textContent = (exclude ? 'Excluded ' : 'Brought back ') + cropKey + ': the trainer takes it into account from its next epoch.'; })
    .catch((e) => { $('crops-message').textContent = e.message; });
  refreshCrops();
}
$('crops-newer').addEventListener('click', () => { cropsPage = Math.max(0, cropsPage - 1); refreshCrops(); });
$('crops-older').addEventListener('click', () => { cropsPage++; refreshCrops(); });
$('serve-newest').addEventListener('click', () => { pickedVersion = null; regenerate(); });

// ---- gallery ----
function truncationQuery() {
  const mode = $('truncation').value;
  return mode === 'none' ? '' : 'truncation=' + mode + '&threshold=' + $('threshold').value;
}
// a checkpoint picked on the training page ("serve this one"); null: the version the sampler serves now
let pickedVersion = null;
async function regenerate() {
  const base = Math.floor(Math.random() * 1e9);
  $('gallery').innerHTML = '';
  $('gallery-message').textContent = '';
  $('face-detail').textContent = '';
  const models = await json('/api/models').catch((e) => { $('gallery-message').textContent = e.message; return null; });
  const serving = models && models.current;
  const version = pickedVersion || serving;
  $('version').textContent = version ? 'model ' + version + (pickedVersion && pickedVersion !== serving ? ' (picked; the newest is ' + (serving || 'none') + ')' : '')
    : '(no model yet: training will publish one)';
  $('serve-newest').hidden = !pickedVersion;
  // a permalink names the version as well as the seed: the same bytes whatever the sampler serves later
  const query = [version ? 'version=' + encodeURIComponent(version) : '', truncationQuery()].filter(Boolean).join('&');
  $('grid-download').href = '/api/faces/grid?n=16&seed=' + base + (query ? '&' + query : '');
  $('grid-download').download = 'faces-' + base + '.png';
  for (let i = 0; i < 12; i++) {
    const seed = base + i;
    const url = '/api/faces/' + seed + (query ? '?' + query : '');
    const cell = document.createElement('div');
    cell.className = 'face';
    cell.innerHTML = '<button class="pick"><img alt=""></button><a class="permalink"></a><a download>⤓</a>';
    cell.querySelector('img').alt = 'generated face, seed ' + seed;
    cell.querySelector('img').src = url;
    cell.querySelector('.permalink').href = url;
    cell.querySelector('.permalink').textContent = 'seed ' + seed;
    cell.querySelector('a[download]').href = url;
    cell.querySelector('a[download]').download = 'face-' + seed + '.png';
    cell.querySelector('a[download]').setAttribute('aria-label', 'download face ' + seed);
    cell.querySelector('.pick').onclick = () => {
      $('face-detail').textContent = 'seed ' + seed + (version ? ', model ' + version : '') + ' — permalink (same model, same seed, same picture): ';
      const link = document.createElement('a');
      link.href = url;
      link.textContent = location.origin + url;
      $('face-detail').appendChild(link);
      $('from').value = seed;
    };
    cell.querySelector('img').onerror = () => { $('gallery-message').textContent = 'The sampler has no model to serve yet.'; };
    $('gallery').appendChild(cell);
  }
}
$('threshold').addEventListener('input', () => { $('threshold-value').textContent = Number($('threshold').value).toFixed(1); });
$('threshold').addEventListener('change', regenerate);
$('truncation').addEventListener('change', regenerate);
$('regenerate').addEventListener('click', regenerate);
// the walk from one seed to the other: the strip, and the same frames played back and forth on a canvas
let walkTimer = null;
$('interpolate').addEventListener('click', () => {
  const steps = 16;
  $('strip').src = '/api/faces/interpolate?steps=' + steps + '&from=' + $('from').value + '&to=' + $('to').value;
  $('strip').onload = () => {
    clearInterval(walkTimer);
    const g = $('walk').getContext('2d');
    let frame = 0, direction = 1;
    walkTimer = setInterval(() => {
      // the strip is one row of 96-pixel faces with 2-pixel gaps (the sampler's grid layout)
      g.drawImage($('strip'), 2 + frame * 98, 2, 96, 96, 0, 0, 96, 96);
      if (frame + direction < 0 || frame + direction >= steps) direction = -direction;
      frame += direction;
    }, 120);
  };
});

// ---- training ----
let history = [];
function drawLosses() {
  const c = $('losses'), g = c.getContext('2d');
  g.clearRect(0, 0, c.width, c.height);
  g.font = '12px sans-serif';
  if (history.length < 2) { g.fillStyle = '#7a6a78'; g.fillText('losses appear here while training runs', 20, 30); return; }
  const points = [...history].sort((a, b) => a.step - b.step); // live events and the history may interleave
  const left = 48, right = c.width - 16, top = 24, bottom = c.height - 32;
  const max = Math.max(...history.flatMap((p) => [p.lossD, p.lossG])) * 1.1 || 1;
  const steps = history.map((p) => p.step), first = Math.min(...steps), last = Math.max(...steps, first + 1);
  const x = (step) => left + (step - first) * (right - left) / Math.max(1, last - first), y = (v) => bottom - v / max * (bottom - top);
  // axes with their labels: loss on the left, training step below
  g.strokeStyle = '#c9b8c6'; g.fillStyle = '#7a6a78'; g.lineWidth = 1;
  g.beginPath(); g.moveTo(left, top); g.lineTo(left, bottom); g.lineTo(right, bottom); g.stroke();
  for (const v of [0, max / 2, max]) { g.fillText(v.toFixed(2), 4, y(v) + 4); g.beginPath(); g.moveTo(left - 4, y(v)); g.lineTo(left, y(v)); g.stroke(); }
  for (const s of [first, Math.round((first + last) / 2), last]) { g.fillText('step ' + s, Math.min(x(s) - 20, right - 60), bottom + 18); }
  g.save(); g.beginPath(); g.rect(left, top - 4, right - left, bottom - top + 4); g.clip();
  for (const [field, colour, label] of [['lossD', '#e4407a', 'D'], ['lossG', '#3b6fd8', 'G']]) {
    // the raw curve thin and pale, its moving average (a tenth of the way each point) on top
    g.strokeStyle = colour; g.globalAlpha = 0.3; g.lineWidth = 1; g.beginPath();
    points.forEach((p, i) => (i ? g.lineTo(x(p.step), y(p[field])) : g.moveTo(x(p.step), y(p[field]))));
    g.stroke();
    g.globalAlpha = 1; g.lineWidth = 2.5; g.beginPath();
    let smooth = points[0][field];
    points.forEach((p, i) => { smooth += 0.1 * (p[field] - smooth); if (i) g.lineTo(x(p.step), y(smooth)); else g.moveTo(x(p.step), y(smooth)); });
    g.stroke();
  }
  g.restore();
  g.fillStyle = '#e4407a'; g.fillText('D loss', left + 8, 16); g.fillStyle = '#3b6fd8'; g.fillText('G loss', left + 60, 16);
  g.fillStyle = '#7a6a78'; g.fillText('thin: each value, thick: smoothed', left + 120, 16);
}
function showStatus(s) {
  $('t-state').textContent = s.state || '—';
  $('t-epoch').textContent = s.epoch ?? '—';
  $('t-step').textContent = s.step ?? '—';
  $('t-speed').textContent = s.imagesPerSecond ? s.imagesPerSecond.toFixed(0) : '—';
  $('t-eta').textContent = s.etaSecondsToEpochEnd != null ? s.etaSecondsToEpochEnd + ' s' : '—';
  const aside = [s.excludedImages ? s.excludedImages + ' excluded' : '', s.duplicateImages ? s.duplicateImages + ' duplicates of another face' : ''].filter(Boolean);
  $('t-data').textContent = s.datasetSize != null ? s.datasetSize + (aside.length ? ' (+' + aside.join(', ') + ')' : '') : '—';
  $('t-device').textContent = s.device ? s.device + (s.precision ? ', ' + s.precision : '') : '—';
  if (s.runId) refreshGrids(s.runId);
}
async function refreshTraining() {
  const s = await json('/api/training/status').catch((e) => ({ state: 'UNAVAILABLE', message: e.message }));
  showStatus(s);
  history = await json('/api/training/losses').catch(() => history);
  drawLosses();
  const listed = await json('/api/models/checkpoints').catch(() => null);
  const body = $('checkpoints').querySelector('tbody');
  body.innerHTML = '';
  for (const c of (listed && listed.checkpoints) || []) {
    const row = document.createElement('tr');
    row.dataset.version = c.version;
    const loss = (v) => (Number.isFinite(v) ? v.toFixed(3) : (v == null ? '—' : String(v)));
    const cells = [c.version + (listed.current === c.version ? ' (serving)' : ''), c.epoch ?? '—', c.step,
      loss(c.lossD), loss(c.lossG), c.datasetSize ?? '—', (c.completedAt ? new Date(c.completedAt).toLocaleString() : '—') + (c.problem ? ' (unreadable: ' + c.problem + ')' : '')];
    for (const text of cells) { const td = document.createElement('td'); td.textContent = text; row.appendChild(td); }
    const b = document.createElement('button');
    b.textContent = 'serve this one';
    b.setAttribute('aria-label', 'serve ' + c.version + ' in the gallery');
    b.onclick = () => { pickedVersion = c.version; location.hash = 'gallery'; };
    const action = document.createElement('td');
    action.appendChild(b);
    row.appendChild(action);
    body.appendChild(row);
  }
}
let gridRun = null;
async function refreshGrids(run) {
  const list = await json('/api/grids?run=' + encodeURIComponent(run)).catch(() => null);
  if (!list || !list.epochs.length) return;
  const slider = $('epoch'), last = list.epochs[list.epochs.length - 1];
  const following = gridRun !== run || Number(slider.value) === Number(slider.max);
  gridRun = run; slider.min = list.epochs[0]; slider.max = last;
  const gif = $('grids-gif');
  gif.href = '/api/grids/' + encodeURIComponent(run) + '/animation.gif'; gif.download = run + '-epochs.gif'; gif.hidden = false;
  if (following) { slider.value = last; showGrid(); }
}
function showGrid() { $('epoch-label').textContent = 'epoch ' + $('epoch').value; $('grid').src = '/api/grids/' + gridRun + '/' + $('epoch').value + '.png'; }
$('epoch').addEventListener('input', showGrid);
// the epochs' grids as an animation: the slider steps on by itself, from the first grid to the last, again and again
let playTimer = null;
$('play').addEventListener('click', () => {
  const playing = playTimer !== null;
  clearInterval(playTimer);
  playTimer = null;
  $('play').textContent = playing ? 'Play' : 'Pause';
  $('play').setAttribute('aria-pressed', String(!playing));
  if (playing) return;
  playTimer = setInterval(() => {
    const slider = $('epoch');
    slider.value = Number(slider.value) >= Number(slider.max) ? slider.min : Number(slider.value) + 1;
    showGrid();
  }, 400);
});
async function control(action) {
  await json('/api/training/' + action, { method: 'POST', headers: { 'X-API-Key': key() } }).catch((e) => alert(e.message));
  refreshTraining();
}
$('pause').addEventListener('click', () => control('pause'));
$('resume').addEventListener('click', () => control('resume'));

// live updates: the trainer's status arrives as server-sent events
const events = new EventSource('/api/events');
events.onmessage = (e) => {
  const s = JSON.parse(e.data);
  showStatus(s);
  if (s.step && (!history.length || history[history.length - 1].step !== s.step)) {
    history.push({ step: s.step, lossD: s.lossD, lossG: s.lossG });
    if (history.length > 2000) history.shift();
    drawLosses();
  }
};

show(location.hash.slice(1) || 'upload');
refreshDataset();
refreshHistory();
