import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type DragEvent,
  type MouseEvent,
  type ReactElement,
} from 'react';
import { useClient } from '../client-context.js';
import { CaseCard } from './CaseCard.js';
import { ensureLoaded } from './gallery-actions.js';
import { caseAt, useGalleryStore } from './gallery-store.js';
import {
  CARD_SIZE,
  cellPosition,
  cellsInRect,
  contentHeight,
  gridLayout,
  scrollToReveal,
  visibleRange,
  type Rect,
} from './grid-layout.js';
import { measureLabelStep } from './label-timing.js';
import { boxSelect, clickSelect, targetsOf } from './selection.js';
import type { ThumbnailLoader } from './thumbnail-loader.js';

/** The scroller's padding in styles/hardcases.css (.gallery-scroll). */
const GRID_PADDING = 8;

/** The width the cards are laid out in: clientWidth counts the scroller's padding too. */
export function gridContentWidth(scroller: HTMLElement): number {
  return scroller.clientWidth - 2 * GRID_PADDING;
}

/** What a card drag carries: positions in the view, read back by the drop zones. */
export const CASES_MIME = 'application/x-streetvision-cases';

interface Box {
  origin: { x: number; y: number };
  rect: Rect;
  add: boolean;
}

/**
 * The virtual grid: a tall spacer with only the cards on screen (and two rows either side)
 * positioned in it, so 50,000 cases cost what 60 do. Pages of the view load as they come near.
 */
export function GalleryGrid({
  loader,
  onOpen,
}: {
  loader: ThumbnailLoader;
  onOpen: (index: number) => void;
}): ReactElement {
  const client = useClient();
  const view = useGalleryStore((state) => state.view);
  const pages = useGalleryStore((state) => state.pages);
  const selection = useGalleryStore((state) => state.selection);
  const focus = useGalleryStore((state) => state.focus);
  // The element in state (so the observer starts when it mounts) and in a ref (to scroll it).
  const [element, setElement] = useState<HTMLDivElement | null>(null);
  const scroller = useRef<HTMLDivElement | null>(null);
  const content = useRef<HTMLDivElement | null>(null);
  const attach = useCallback((node: HTMLDivElement | null) => {
    scroller.current = node;
    setElement(node);
  }, []);
  const [size, setSize] = useState({ width: 1000, height: 800 });
  const [scrollTop, setScrollTop] = useState(0);
  const [box, setBox] = useState<Box | null>(null);
  const layout = gridLayout(size.width, view?.total ?? 0);
  const { start, end } = visibleRange(layout, scrollTop, size.height);

  useEffect(() => {
    if (!element) return;
    const observer = new ResizeObserver(() =>
      setSize({ width: gridContentWidth(element), height: element.clientHeight }),
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);

  useEffect(() => {
    void ensureLoaded(client, start, end);
  }, [client, start, end, view]);

  // Keys label at once on arriving: the grid takes the focus when it appears.
  useEffect(() => {
    scroller.current?.focus({ preventScroll: true });
  }, [element]);

  // A new view starts at the top.
  useEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
  }, [element, view]);

  const columns = layout.columns;
  useEffect(() => {
    const node = scroller.current;
    if (!node || focus < 0) return;
    const top = scrollToReveal(gridLayout(size.width, view?.total ?? 0), focus, node.scrollTop, node.clientHeight);
    if (top !== null) node.scrollTop = top;
  }, [element, focus, columns, size.width, view]);

  // The UI's share of label-and-advance: from the back end's answer to the grid committed.
  useLayoutEffect(measureLabelStep, [focus, pages]);

  const onPointerSelect = useCallback((index: number, event: MouseEvent) => {
    const state = useGalleryStore.getState();
    useGalleryStore.setState({
      selection: clickSelect(state.selection, index, { shift: event.shiftKey, toggle: event.ctrlKey || event.metaKey }),
      focus: index,
    });
  }, []);

  const onDragStart = useCallback((index: number, event: DragEvent) => {
    const state = useGalleryStore.getState();
    // Dragging a card outside the selection drags that card alone, and selects it.
    if (!state.selection.selected.has(index))
      useGalleryStore.setState({ selection: { selected: new Set([index]), anchor: index }, focus: index });
    const indices = targetsOf(useGalleryStore.getState().selection, index);
    event.dataTransfer.setData(CASES_MIME, JSON.stringify(indices));
    event.dataTransfer.setData('text/plain', `${indices.length} case${indices.length === 1 ? '' : 's'}`);
    event.dataTransfer.effectAllowed = 'move';
  }, []);

  // Relative to the content, whose box moves as it scrolls: the same space the cells are laid out in.
  const contentPoint = (event: MouseEvent): { x: number; y: number } => {
    const bounds = content.current!.getBoundingClientRect();
    return { x: event.clientX - bounds.left, y: event.clientY - bounds.top };
  };

  const onMouseDown = (event: MouseEvent): void => {
    if (event.button !== 0 || !element || !content.current) return;
    const origin = contentPoint(event);
    // The scrollbar is not the grid.
    if (event.clientX - element.getBoundingClientRect().left > element.clientWidth) return;
    setBox({
      origin,
      rect: { left: origin.x, top: origin.y, right: origin.x, bottom: origin.y },
      add: event.ctrlKey || event.metaKey || event.shiftKey,
    });
    element.focus();
  };
  const onMouseMove = (event: MouseEvent): void => {
    if (!box) return;
    const point = contentPoint(event);
    setBox({
      ...box,
      rect: {
        left: Math.min(box.origin.x, point.x),
        right: Math.max(box.origin.x, point.x),
        top: Math.min(box.origin.y, point.y),
        bottom: Math.max(box.origin.y, point.y),
      },
    });
  };
  const onMouseUp = (): void => {
    if (!box) return;
    const covered = cellsInRect(layout, box.rect);
    const state = useGalleryStore.getState();
    useGalleryStore.setState({
      selection: boxSelect(state.selection, covered, box.add),
      focus: covered[0] ?? state.focus,
    });
    setBox(null);
  };

  const cards: ReactElement[] = [];
  for (let index = start; index < end; index++) {
    const { left, top } = cellPosition(layout, index);
    const item = caseAt({ pages }, index);
    cards.push(
      <CaseCard
        key={item?.hash ?? `slot-${index}`}
        index={index}
        item={item}
        left={left}
        top={top}
        size={CARD_SIZE}
        selected={selection.selected.has(index)}
        focused={focus === index}
        loader={loader}
        onPointerSelect={onPointerSelect}
        onOpen={onOpen}
        onDragStart={onDragStart}
      />,
    );
  }
  return (
    <div
      ref={attach}
      className="gallery-scroll"
      role="listbox"
      aria-label="Hard cases"
      aria-multiselectable
      aria-activedescendant={focus >= 0 ? `case-${focus}` : undefined}
      aria-rowcount={Math.ceil(layout.count / layout.columns)}
      tabIndex={0}
      data-testid="gallery"
      data-rendered={end - start}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      onMouseDown={onMouseDown}
      onMouseMove={onMouseMove}
      onMouseUp={onMouseUp}
      onMouseLeave={onMouseUp}
    >
      <div className="gallery-content" ref={content} style={{ height: contentHeight(layout) }}>
        {cards}
        {box && (
          <div
            className="drag-box"
            style={{
              left: box.rect.left,
              top: box.rect.top,
              width: box.rect.right - box.rect.left,
              height: box.rect.bottom - box.rect.top,
            }}
          />
        )}
      </div>
    </div>
  );
}
