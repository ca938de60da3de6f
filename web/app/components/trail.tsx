// The verdict trail (the arbitrator console and the claimant's case page): the record and its
// hash, the model card, each committee member's commitment and reveal, and any dispute game drawn
// as its dissection: one row per move, the interval of states still in dispute narrowing over the
// trace t_0 … t_n, then the one step the referee re-executed, who won and who was slashed. Plain
// SVG and a text list saying the same (the list is what screen readers and tests read).
import { useTranslation } from 'react-i18next';
import { ether } from '../lib/format.js';
import type { GameView, TrailView } from '../lib/trail-view.js';

const short = (hex: string | null | undefined) => (hex ? `${hex.slice(0, 10)}…${hex.slice(-6)}` : '—');

function Hash({ value }: { value: string | null | undefined }) {
  return value ? (
    <code className="hash" title={value}>
      {value}
    </code>
  ) : (
    <span className="muted">—</span>
  );
}

export function GamePicture({ game }: { game: GameView }) {
  const { t, i18n } = useTranslation();
  const n = game.states;
  // A narrow drawing: it scales to the column, so its text stays readable at a phone's width.
  const W = 320;
  const left = 66;
  const cell = (W - left - 6) / n;
  const rowH = 26;
  const rows: { label: string; lo: number; hi: number; kind: 'move' | 'leaf' }[] = game.rounds.map((r, i) => ({ label: t('trail.round', { n: i + 1 }), lo: r.lo, hi: r.hi, kind: 'move' as const }));
  if (game.leaf !== null) rows.push({ label: t('trail.stepRow', { n: game.leaf }), lo: Math.max(0, game.leaf - 1), hi: game.leaf, kind: 'leaf' });
  const H = 24 + rows.length * rowH;
  const role = (node: string) => (node === game.defender ? t('trail.defender') : t('trail.challenger'));
  return (
    <figure className="game" data-testid="game-picture">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('trail.pictureLabel', { rounds: game.rounds.length, step: game.leaf ?? '—' })}>
        {Array.from({ length: n }, (_, s) => (
          <text key={s} x={left + s * cell + cell / 2} y={14} textAnchor="middle" className="axis">
            {`t${s}`}
          </text>
        ))}
        {rows.map((r, i) => {
          const y = 22 + i * rowH;
          return (
            <g key={i} data-row={r.kind}>
              <text x={0} y={y + 17} className="row-label">
                {r.label}
              </text>
              <rect x={left} y={y + 4} width={n * cell} height={rowH - 10} className="trace" rx={3} />
              <rect x={left + r.lo * cell} y={y + 4} width={(r.hi - r.lo + 1) * cell} height={rowH - 10} className={r.kind === 'leaf' ? 'step' : 'dispute'} rx={3} />
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ol className="rounds">
          {game.rounds.map((r, i) => (
            <li key={i}>
              {t('trail.roundText', { n: i + 1, lo: r.lo, hi: r.hi, count: r.movers.length })} <code className="hash">{r.txs.map(short).join(', ')}</code>
            </li>
          ))}
          {game.leaf !== null ? (
            <li data-testid="game-step">
              {t('trail.stepText', { step: game.leaf, from: Math.max(0, game.leaf - 1) })}
              {game.step ? ` ${t(game.step.valid ? 'trail.stepValid' : 'trail.stepInvalid', { step: game.step.step })}` : ''}
            </li>
          ) : null}
        </ol>
        <p data-testid="game-outcome">
          {game.winner ? t('trail.winner', { who: role(game.winner), node: short(game.winner) }) : game.outcome ? t(`trail.outcome.${game.outcome}`, { defaultValue: game.outcome }) : t('trail.running')}
        </p>
        {game.slashed.length ? (
          <p data-testid="game-slashed">
            {t('trail.slashed', { nodes: game.slashed.map((s) => `${role(s.node)} ${short(s.node)} (${ether(i18n.language, s.amount)})`).join(', ') })}
          </p>
        ) : null}
      </figcaption>
    </figure>
  );
}

export function TrailPanel({ trail, headingLevel = 2 }: { trail: TrailView; headingLevel?: 2 | 3 }) {
  const { t, i18n } = useTranslation();
  const eth = (wei: string) => ether(i18n.language, wei);
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const Sub = headingLevel === 2 ? 'h3' : 'h4';
  return (
    <div className="trail" data-testid="trail">
      <H>{t('trail.title')}</H>
      <p className="small">{t('trail.intro')}</p>
      <dl className="facts">
        <dt>{t('trail.recordHash')}</dt>
        <dd><Hash value={trail.recordHash} /></dd>
        <dt>{t('trail.inputHash')}</dt>
        <dd><Hash value={trail.inputHash} /></dd>
        <dt>{t('trail.model')}</dt>
        <dd>
          {trail.model.ref} · {t('trail.steps', { count: trail.model.steps })}
        </dd>
        <dt>{t('trail.modelRoot')}</dt>
        <dd><Hash value={trail.model.modelRoot} /></dd>
        <dt>{t('trail.modelFile')}</dt>
        <dd><Hash value={trail.model.sha256} /></dd>
        <dt>{t('trail.chainCase')}</dt>
        <dd><Hash value={trail.chain.chainCaseId} /></dd>
        <dt>{t('trail.openTx')}</dt>
        <dd><Hash value={trail.chain.openTx} /></dd>
        <dt>{t('trail.agreedRoot')}</dt>
        <dd><Hash value={trail.agreedRoot} /></dd>
        <dt>{t('trail.traceRoot')}</dt>
        <dd><Hash value={trail.claim.traceRoot} /></dd>
      </dl>
      {trail.appeals.length ? (
        <>
          <Sub>{t('trail.appeals')}</Sub>
          <ul className="appeals" data-testid="trail-appeals">
            {trail.appeals.map((a) => (
              <li key={a.level} data-testid={`trail-appeal-${a.level}`}>
                {t('trail.appeal', { level: a.level, appellant: short(a.appellant), bond: eth(a.bond) })}{' '}
                {a.reExecutionBatch !== null ? t('trail.reExecution', { batch: a.reExecutionBatch }) : t('trail.referred')} {t('trail.inTx')} <code className="hash">{short(a.tx)}</code>
                {a.compared ? (
                  <p className="small" data-testid={`trail-appeal-${a.level}-compared`}>
                    {a.compared.changed
                      ? t('trail.comparedChanged', { batch: a.compared.fromBatch, refund: eth(a.compared.bondRefund) })
                      : t('trail.comparedSame', { batch: a.compared.fromBatch })}{' '}
                    {t('trail.inTx')} <code className="hash">{short(a.compared.tx)}</code>
                  </p>
                ) : a.reExecutionBatch !== null ? (
                  <p className="small muted">{t('trail.comparing')}</p>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <Sub>{t('trail.committee')}</Sub>
      {trail.chain.batchId !== null ? <p className="small">{t(trail.appeals.some((a) => a.reExecutionBatch === trail.chain.batchId) ? 'trail.batchReExecution' : 'trail.batch', { batch: trail.chain.batchId })}</p> : null}
      {trail.committee.length ? (
        <div className="table-wrap" role="region" aria-label={t('trail.committee')} tabIndex={0}>
          <table className="cases committee">
            <thead>
              <tr>
                <th scope="col">{t('trail.node')}</th>
                <th scope="col">{t('trail.commitment')}</th>
                <th scope="col">{t('trail.reveal')}</th>
              </tr>
            </thead>
            <tbody>
              {trail.committee.map((m) => (
                <tr key={m.node}>
                  <td data-label={t('trail.node')}>
                    <code className="hash">{short(m.node)}</code>
                    {m.evicted ? <span className="evicted">{t('trail.evicted')}</span> : null}
                  </td>
                  <td data-label={t('trail.commitment')}>
                    <code className="hash" title={m.commitment ?? ''}>{short(m.commitment)}</code>
                  </td>
                  <td data-label={t('trail.reveal')}>
                    <code className="hash" title={m.claimsRoot ?? ''}>{short(m.claimsRoot)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">{t('trail.noCommittee')}</p>
      )}
      <Sub>{t('trail.games')}</Sub>
      {trail.games.length ? trail.games.map((g) => <GamePicture key={g.gameId} game={g} />) : <p className="muted" data-testid="no-game">{t('trail.noGame')}</p>}
      {trail.ruling ? (
        <p data-testid="trail-ruling">
          {t('trail.ruling', { output: trail.ruling.output })} <code className="hash">{short(trail.ruling.reasonHash)}</code>
        </p>
      ) : null}
      {trail.payout ? (
        <div data-testid="trail-payout">
          <p>
            {t(trail.payout.claimantWon ? 'trail.settledClaimant' : 'trail.settledRespondent', { output: trail.payout.output, award: eth(trail.payout.award), refund: eth(trail.payout.refund) })}
            {trail.payout.owedNotEscrowed ? ` ${t('trail.owedNotEscrowed')}` : ''}
          </p>
          {trail.payout.payments.length ? (
            <ul className="payments">
              {trail.payout.payments.map((p, i) => (
                <li key={i}>{t(p.sent ? 'trail.paymentSent' : 'trail.paymentHeld', { amount: eth(p.amount), party: t(`trail.party.${p.party}`), payee: short(p.payee) })}</li>
              ))}
            </ul>
          ) : null}
          <p>
            {t('trail.resolvedTx')} <Hash value={trail.payout.tx} />
          </p>
        </div>
      ) : null}
    </div>
  );
}
