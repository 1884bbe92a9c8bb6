import { Link } from 'react-router-dom';

/** The OKPay wordmark, with an optional second line such as 客服中心. */
export function Brand({ to, suffix }: { to: string; suffix?: string }) {
  return (
    <Link to={to} className="brand" aria-label={suffix ? `OKPay ${suffix}` : 'OKPay'}>
      <span className="brand-mark" aria-hidden="true">
        OK
      </span>
      <span className="brand-name">OKPay</span>
      {suffix && <span className="brand-suffix">{suffix}</span>}
    </Link>
  );
}
