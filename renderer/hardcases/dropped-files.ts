/**
 * The files under what the operator dropped or picked, each with its path inside the drop
 * (`photos/roadwork/a.jpg`), so a dropped ImageFolder keeps the folder names its labels are in.
 */
export interface DroppedFile {
  name: string;
  file: File;
}

/** From `<input type=file>`, with or without `webkitdirectory`. */
export function filesFromInput(list: FileList): DroppedFile[] {
  return [...list].map((file) => ({ name: file.webkitRelativePath || file.name, file }));
}

/** From a drop: folders are walked (the browser hands them over as entries, not files). */
export async function filesFromDrop(transfer: DataTransfer): Promise<DroppedFile[]> {
  const entries = [...transfer.items]
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry())
    .filter((entry): entry is FileSystemEntry => entry !== null);
  if (entries.length === 0) return [...transfer.files].map((file) => ({ name: file.name, file }));
  const found: DroppedFile[] = [];
  for (const entry of entries) await walk(entry, found);
  return found;
}

async function walk(entry: FileSystemEntry, into: DroppedFile[]): Promise<void> {
  if (entry.name.startsWith('.')) return;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    into.push({ name: entry.fullPath.replace(/^\/+/, ''), file });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries answers in slices (100 at a time in Chromium) until it answers with none.
  for (;;) {
    const slice = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (slice.length === 0) break;
    for (const child of slice.sort((a, b) => a.name.localeCompare(b.name))) await walk(child, into);
  }
}
