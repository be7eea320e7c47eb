import type { Attachment } from 'svelte/attachments';
import './scroll-hint.css';

/**
 * A box whose content may be wider than the screen (a long formula, a deep network on a phone)
 * scrolls inside itself, never the page. While it overflows it shows shadows on the sides that
 * hide more, and it can be focused and scrolled with the keyboard, under `label`.
 */
export function scrollHint(label: string): Attachment<HTMLElement> {
	return (box) => {
		box.classList.add('scroll-hint');
		const update = () => {
			const overflowing = box.scrollWidth > box.clientWidth + 1;
			box.classList.toggle('overflowing', overflowing);
			if (overflowing) {
				box.tabIndex = 0;
				box.setAttribute('role', 'region');
				box.setAttribute('aria-label', label);
			} else {
				box.removeAttribute('tabindex');
				box.removeAttribute('role');
				box.removeAttribute('aria-label');
			}
		};
		const observer = new ResizeObserver(update);
		observer.observe(box);
		for (const child of box.children) observer.observe(child);
		const mutations = new MutationObserver(update);
		mutations.observe(box, { childList: true, subtree: true, characterData: true });
		// KaTeX's fonts arrive after the first layout and change a formula's width, not its box's
		document.fonts?.addEventListener('loadingdone', update);
		update();
		return () => {
			observer.disconnect();
			mutations.disconnect();
			document.fonts?.removeEventListener('loadingdone', update);
		};
	};
}
