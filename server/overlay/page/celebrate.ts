// A short confetti burst when a winner lands: a few dozen divs animated by the Web Animations API, removed
// afterwards, so nothing keeps running on the streaming PC between draws.
const COLOURS = ['var(--accent)', '#ffd166', '#06d6a0', '#ef476f', '#118ab2', '#ffffff'];

export function confetti(host: HTMLElement, pieces = 36): void {
  const layer = document.createElement('div');
  layer.className = 'confetti';
  host.appendChild(layer);
  let longest = 0;
  for (let i = 0; i < pieces; i++) {
    const piece = document.createElement('i');
    piece.style.background = COLOURS[i % COLOURS.length] ?? '#fff';
    layer.appendChild(piece);
    const angle = Math.random() * Math.PI * 2;
    const reach = 4 + Math.random() * 9;
    const duration = 1100 + Math.random() * 700;
    longest = Math.max(longest, duration);
    piece.animate(
      [
        { transform: 'translate(0, 0) rotate(0deg)', opacity: 1 },
        {
          transform: `translate(${Math.cos(angle) * reach}em, ${Math.sin(angle) * reach + 4}em) rotate(${
            Math.random() * 720 - 360
          }deg)`,
          opacity: 0,
        },
      ],
      { duration, easing: 'cubic-bezier(.15,.7,.35,1)', fill: 'forwards' },
    );
  }
  setTimeout(() => layer.remove(), longest + 100);
}
